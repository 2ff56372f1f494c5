package io.slipway.gitgateway.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void acceptsWhatGitSendsForBothUrlForms() {
        assertThat(CommandLine.parse("git-receive-pack 'demo-app.git'"))
                .isEqualTo(new CommandLine(CommandLine.Service.RECEIVE_PACK, "demo-app"));
        assertThat(CommandLine.parse("git-receive-pack '/demo-app.git'"))
                .isEqualTo(new CommandLine(CommandLine.Service.RECEIVE_PACK, "demo-app"));
        assertThat(CommandLine.parse("git-upload-pack '/demo-app.git'"))
                .isEqualTo(new CommandLine(CommandLine.Service.UPLOAD_PACK, "demo-app"));
        assertThat(CommandLine.parse("git upload-pack 'demo-app.git/'"))
                .isEqualTo(new CommandLine(CommandLine.Service.UPLOAD_PACK, "demo-app"));
        assertThat(CommandLine.parse("git-receive-pack demo-app.git"))
                .isEqualTo(new CommandLine(CommandLine.Service.RECEIVE_PACK, "demo-app"));
    }

    @Test
    void refusesEverythingElse() {
        String[] bad = {
            null, "", "ls", "git-receive-pack", "git-receive-pack ''", "git-receive-pack '../etc.git'",
            "git-receive-pack '/srv/repos/demo.git'", "git-receive-pack 'demo'", "git-receive-pack 'Demo.git'",
            "git-receive-pack 'demo.git", "git-receive-pack demo.git'", "git-receive-pack 'demo.git'; rm -rf /",
            "git-receive-pack 'a.git'", "git-receive-pack 'ends-with-dash-.git'", "git-upload-archive 'demo.git'",
            "git-receive-pack  'demo.git'", "git-receive-pack 'demo.git' extra", "git-receive-pack '~/demo.git'",
            "git-receive-pack '" + "a".repeat(31) + ".git'", "git-receive-pack 'demo.git'\n", "git-receive-pack \"demo.git\""
        };
        for (String command : bad) assertThat(CommandLine.parse(command)).as(command).isNull();
    }
}
