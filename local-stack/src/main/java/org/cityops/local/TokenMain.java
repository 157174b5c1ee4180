package org.cityops.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cityops.access.AccessConfig;
import org.cityops.access.Reader;
import org.cityops.access.Role;
import org.cityops.access.Tokens;
import org.cityops.schemas.Department;

/**
 * {@code ./cityops token --role ROLE [--department D] [--hours H]}: prints a token signed with
 * {@code CITYOPS_JWT_SECRET} (or {@code --secret}).
 */
public final class TokenMain {

    private TokenMain() {}

    public static void main(String[] args) throws Exception {
        String role = null;
        String department = null;
        String secret = System.getenv("CITYOPS_JWT_SECRET");
        String subject = "cli";
        long hours = 12;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--role" -> role = args[++i];
                case "--department" -> department = args[++i];
                case "--secret" -> secret = args[++i];
                case "--subject" -> subject = args[++i];
                case "--hours" -> hours = Long.parseLong(args[++i]);
                case "--state-file" -> {
                    Path file = Path.of(args[++i]);
                    System.out.println(
                            new ObjectMapper()
                                    .readTree(Files.readString(file))
                                    .path("tokens")
                                    .toPrettyString());
                    return;
                }
                default -> fail("unknown option " + args[i]);
            }
        }
        Role parsedRole = Role.parse(role).orElse(null);
        if (parsedRole == null) {
            fail("--role must be one of operator, dispatcher, supervisor, leader, admin");
            return;
        }
        Department parsedDepartment = Tokens.department(department).orElse(null);
        if (parsedRole.needsDepartment() && parsedDepartment == null) {
            fail("a " + role + " needs --department police|fire|medical|traffic");
        }
        if (secret == null) {
            fail("set CITYOPS_JWT_SECRET (the one the services use) or pass --secret");
        }
        Vertx vertx = Vertx.vertx();
        try {
            Tokens tokens = new Tokens(vertx, new AccessConfig(secret, null));
            System.out.println(
                    tokens.issue(
                            new Reader(subject, parsedRole, parsedDepartment),
                            Duration.ofHours(hours)));
        } finally {
            vertx.close();
        }
    }

    private static void fail(String message) {
        System.err.println("cityops token: " + message);
        System.err.println(
                "usage: cityops token --role ROLE [--department D] [--hours H] [--secret S]\n"
                        + "       cityops token --state-file PATH    (the tokens of a running demo)");
        System.exit(2);
    }
}
