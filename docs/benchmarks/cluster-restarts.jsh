// Harness timings of a running `./slipway cluster` (issue #9): kill -9 and start again of one api-server host and
// one dyno-agent host, and a PostgreSQL restart. Run against a cluster started with
//   ./slipway cluster up --dir /tmp/slc && jshell --class-path "launcher/target/classes:$(ls launcher/target/lib/*.jar | tr '\n' ':')" docs/benchmarks/cluster-restarts.jsh
var c = io.slipway.launcher.cluster.Cluster.open(java.nio.file.Path.of(System.getProperty("cluster.dir", "/tmp/slc")));
long t = System.nanoTime();
c.kill9("api-2");
c.start("api-2");
System.out.println("api-2 kill -9 to /health 200: " + (System.nanoTime() - t) / 1_000_000 + " ms");
t = System.nanoTime();
c.kill9("agent-1");
c.start("agent-1");
System.out.println("agent-1 kill -9 to registered: " + (System.nanoTime() - t) / 1_000_000 + " ms");
t = System.nanoTime();
c.restartPostgres();
System.out.println("PostgreSQL fast shutdown to accepting logins: " + (System.nanoTime() - t) / 1_000_000 + " ms");
/exit
