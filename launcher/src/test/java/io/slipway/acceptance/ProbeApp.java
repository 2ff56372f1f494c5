package io.slipway.acceptance;

import java.util.Map;

/**
 * A hostile tenant's web app (Node.js, no npm dependencies): each endpoint tries one thing a dyno should not be
 * able to do and answers what happened as JSON, so the hostile-tenant tests can drive the attacks from inside a
 * real dyno through the router and assert on the outcome.
 * <ul>
 *   <li>{@code GET /whoami}: its {@code DYNO}, {@code PORT}, uid, pid and non-loopback IPv4 addresses;</li>
 *   <li>{@code GET /connect?t=host:port,host:port}: a TCP connect to each (1.5 s), {@code open} or the
 *       error code ({@code ECONNREFUSED}, {@code ETIMEDOUT}, {@code EHOSTUNREACH}...);</li>
 *   <li>{@code GET /environs}: the environments of every process it can see in {@code /proc} (one string each);</li>
 *   <li>{@code GET /listeners}: the TCP ports in LISTEN state in its {@code /proc/net/tcp} and {@code tcp6};</li>
 *   <li>{@code GET /fill?dir=D&capMb=N}: writes 8 MiB chunks into {@code D} until an error or {@code N} MiB;</li>
 *   <li>{@code GET /bind?from=A&to=B}: binds every port it can in the range and keeps them;</li>
 *   <li>{@code GET /redis[?password=P]}: {@code AUTH} (with {@code REDIS_URL}'s password, or {@code P}) and
 *       {@code PING} to the instance at {@code REDIS_URL}, over a plain socket; answers Redis's replies as text.</li>
 * </ul>
 */
final class ProbeApp {
    private ProbeApp() {}

    static Map<String, String> files(String marker) {
        return Map.of(
                "package.json", """
                        {"name": "probe", "version": "1.0.0", "private": true, "scripts": {"start": "node server.js"}}
                        """,
                "Procfile", "web: node server.js\n",
                "server.js", SERVER.replace("@MARKER@", marker));
    }

    private static final String SERVER = """
            const http = require('http'), net = require('net'), fs = require('fs'), os = require('os'), path = require('path');
            const kept = [];
            function send(res, body) { res.writeHead(200, {'Content-Type': 'application/json'}); res.end(JSON.stringify(body)); }
            function connect([host, port]) {
              return new Promise(done => {
                const s = net.connect({host, port, timeout: 1500});
                const end = r => { s.destroy(); done([host, port, r]); };
                s.on('connect', () => end('open'));
                s.on('timeout', () => end('ETIMEDOUT'));
                s.on('error', e => end(e.code || String(e)));
              });
            }
            function addresses() {
              return Object.values(os.networkInterfaces()).flat().filter(a => a.family === 'IPv4' && !a.internal).map(a => a.address);
            }
            function environs() {
              const out = [];
              for (const pid of fs.readdirSync('/proc').filter(n => /^\\d+$/.test(n))) {
                try { out.push(fs.readFileSync('/proc/' + pid + '/environ', 'latin1')); } catch (e) { out.push('error:' + e.code); }
              }
              return out;
            }
            function listeners() {
              const ports = new Set();
              for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
                let text = '';
                try { text = fs.readFileSync(f, 'latin1'); } catch (e) { continue; }
                for (const line of text.split('\\n').slice(1)) {
                  const cols = line.trim().split(/\\s+/);
                  if (cols.length > 3 && cols[3] === '0A') ports.add(parseInt(cols[1].split(':').pop(), 16));
                }
              }
              return [...ports];
            }
            function fill(dir, capMb) {
              const file = path.join(dir, 'fill-' + process.pid + '-' + Date.now());
              const chunk = Buffer.alloc(8 << 20, 120);
              let written = 0, code = 'cap';
              let fd;
              try {
                fd = fs.openSync(file, 'w');
                while (written < capMb * 1048576) written += fs.writeSync(fd, chunk);
              } catch (e) { code = e.code || String(e); }
              try { if (fd !== undefined) fs.closeSync(fd); } catch (e) {}
              try { fs.unlinkSync(file); } catch (e) {}
              return {written, code};
            }
            function bind(from, to) {
              let next = from, bound = 0, errors = {};
              return new Promise(done => {
                const step = () => {
                  if (next > to) return done({bound, errors});
                  const srv = net.createServer();
                  const port = next++;
                  srv.once('error', e => { errors[e.code] = (errors[e.code] || 0) + 1; step(); });
                  srv.listen(port, '0.0.0.0', () => { kept.push(srv); bound++; step(); });
                };
                step();
              });
            }
            function redis(password) {
              const u = new URL(process.env.REDIS_URL || 'redis://none:none@127.0.0.1:1');
              const pass = password === null ? decodeURIComponent(u.password) : password;
              return new Promise(done => {
                let out = '';
                const s = net.connect({host: u.hostname, port: +u.port, timeout: 3000});
                s.on('connect', () => s.write('AUTH ' + (decodeURIComponent(u.username) || 'default') + ' ' + pass + '\\r\\nPING\\r\\n'));
                s.on('data', d => { out += d; if (out.split('\\r\\n').length > 2) { s.destroy(); done({host: u.hostname, reply: out}); } });
                s.on('timeout', () => { s.destroy(); done({host: u.hostname, reply: 'ETIMEDOUT ' + out}); });
                s.on('error', e => done({host: u.hostname, reply: (e.code || String(e)) + ' ' + out}));
              });
            }
            const server = http.createServer((req, res) => {
              const url = new URL(req.url, 'http://x');
              let body = '';
              req.on('data', d => body += d);
              req.on('end', async () => {
                try {
                  if (url.pathname === '/whoami') return send(res, {marker: '@MARKER@', dyno: process.env.DYNO,
                      port: +process.env.PORT, uid: process.getuid(), pid: process.pid, addresses: addresses()});
                  if (url.pathname === '/connect') return send(res, await Promise.all(url.searchParams.get('t').split(',')
                      .map(t => [t.slice(0, t.lastIndexOf(':')), +t.slice(t.lastIndexOf(':') + 1)]).map(connect)));
                  if (url.pathname === '/environs') return send(res, environs());
                  if (url.pathname === '/listeners') return send(res, listeners());
                  if (url.pathname === '/fill') return send(res, fill(url.searchParams.get('dir'), +url.searchParams.get('capMb')));
                  if (url.pathname === '/redis') return send(res, await redis(url.searchParams.get('password')));
                  if (url.pathname === '/bind') return send(res, await bind(+url.searchParams.get('from'), +url.searchParams.get('to')));
                  send(res, {marker: '@MARKER@', dyno: process.env.DYNO});
                } catch (e) { res.writeHead(500); res.end(String(e)); }
              });
            });
            server.listen(process.env.PORT, () => console.log('probe listening on ' + process.env.PORT));
            process.on('SIGTERM', () => process.exit(0));
            """;
}
