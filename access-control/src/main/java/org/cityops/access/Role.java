package org.cityops.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who a reader is in the command centre. Dispatchers and supervisors belong to one department. */
public enum Role {
    /** Command-centre operator: sees everything, personal data included. */
    operator,
    /** Departmental dispatcher: sees and acts only on incidents that task their department. */
    dispatcher,
    /** Department supervisor: a dispatcher's view plus escalations. */
    supervisor,
    /** City leader: sees everything, read-only, personal data masked. */
    leader,
    /** Administrator: rules, audit, feeds; personal data masked. */
    admin;

    public boolean needsDepartment() {
        return this == dispatcher || this == supervisor;
    }

    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }
}
