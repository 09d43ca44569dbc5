package dev.waymark.cli;

import dev.waymark.auth.AccessKey;
import dev.waymark.store.sql.SqlStore;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code waymark keys}: manage access keys in the store a server uses, also while it runs. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage access keys. Works on the store of a running server; changes apply within a second.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
public final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code keys create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an access key and print it as a line to paste into a shell: "
                    + "export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...")
    static final class Create implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Scope scope;

        static final class Scope {
            @Option(names = "--admin", description = "The key may do everything.")
            boolean admin;

            @Option(names = "--apps", split = ",", paramLabel = "ID",
                    description = "The key may use only these apps (comma-separated app ids).")
            List<String> apps;
        }

        @Option(names = "--read-only", description = "With --apps: the key may only read.")
        boolean readOnly;

        @Override
        public Integer call() {
            if (scope.admin && readOnly) {
                System.err.println("waymark: --read-only goes with --apps, not --admin");
                return 2;
            }
            Set<String> apps = scope.apps == null ? Set.of() : new LinkedHashSet<>(scope.apps);
            if (apps.stream().anyMatch(String::isBlank)) {
                System.err.println("waymark: --apps takes app ids separated by commas");
                return 2;
            }
            AccessKey key = AccessKey.generate(scope.admin, apps, readOnly, Instant.now());
            try (SqlStore opened = store.openExisting()) {
                List<String> unknown = apps.stream().filter(app -> opened.apps().find(app).isEmpty()).toList();
                if (!unknown.isEmpty()) {
                    System.err.println("waymark: no app " + String.join(", ", unknown) + " in this store; "
                            + "--apps takes ids of existing apps (GetApps lists them)");
                    return 2;
                }
                opened.accessKeys().insert(key);
            }
            // The same form as the key printed at the first start, so that either can be pasted into a shell.
            System.out.println("export AWS_ACCESS_KEY_ID=" + key.id() + " AWS_SECRET_ACCESS_KEY=" + key.secret());
            return 0;
        }
    }

    /** {@code keys list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List access keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            try (SqlStore opened = store.openExisting()) {
                for (AccessKey key : opened.accessKeys().list()) {
                    System.out.printf("%s  %s  created %s%s%n", key.id(), key.scope(), key.createdAt(),
                            key.revokedAt().map(at -> "  REVOKED " + at).orElse(""));
                }
            }
            return 0;
        }
    }

    /** {@code keys revoke}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an access key; requests signed with it are refused within a second.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Parameters(paramLabel = "KEY_ID", description = "The access key id to revoke.")
        String keyId;

        @Override
        public Integer call() {
            try (SqlStore opened = store.openExisting()) {
                if (!opened.accessKeys().revoke(keyId, Instant.now())) {
                    System.err.println("waymark: no active access key " + keyId);
                    return 1;
                }
            }
            System.out.println("revoked " + keyId);
            return 0;
        }
    }
}
