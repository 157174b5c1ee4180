package org.cityops.access;

import java.util.Collection;
import org.cityops.schemas.Department;
import org.cityops.schemas.contract.FeedSpec;

/**
 * An authenticated reader: subject, role and (for dispatchers and supervisors) department. The one
 * place that decides what a reader may see.
 */
public record Reader(String subject, Role role, Department department) {

    public Reader {
        if (role.needsDepartment() && (department == null || department == Department.unknown)) {
            throw new IllegalArgumentException(role + " needs a department");
        }
        if (!role.needsDepartment()) {
            department = null;
        }
    }

    /** The department a list must be restricted to, or null when the reader sees every incident. */
    public String restrictedToDepartment() {
        return department == null ? null : department.name();
    }

    public boolean canSeeIncident(Collection<String> taskedDepartments) {
        return department == null || taskedDepartments.contains(department.name());
    }

    /** Caller phone, name and patient age: operators, and dispatchers of a tasked department. */
    public boolean seesPersonalData(Collection<String> taskedDepartments) {
        return switch (role) {
            case operator -> true;
            case dispatcher, supervisor -> taskedDepartments.contains(department.name());
            case leader, admin -> false;
        };
    }

    public boolean canSeeFeedHealth() {
        return true;
    }

    /**
     * Dead letters carry (masked) payloads of a feed: operators and admins, or the feed's own
     * department.
     */
    public boolean canReadDeadLetters(FeedSpec<?> feed) {
        return switch (role) {
            case operator, admin -> true;
            case dispatcher, supervisor -> feed.department() == department;
            case leader -> false;
        };
    }
}
