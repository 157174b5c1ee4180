package org.cityops.jobs.lifecycle;

import java.util.ArrayList;
import java.util.List;

/** Which missed deadlines of one incident were escalated, to which level, when (a Flink POJO). */
public class EscalationMarks {

    public List<Mark> marks = new ArrayList<>();

    public static class Mark {
        public String department;
        public String phase;
        public int level;
        public long at;

        public Mark() {}

        public Mark(String department, String phase, int level, long at) {
            this.department = department;
            this.phase = phase;
            this.level = level;
            this.at = at;
        }
    }

    Mark find(String department, String phase) {
        for (Mark m : marks) {
            if (m.department.equals(department) && m.phase.equals(phase)) {
                return m;
            }
        }
        return null;
    }
}
