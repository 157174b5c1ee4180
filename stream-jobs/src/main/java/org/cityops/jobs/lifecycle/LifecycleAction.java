package org.cityops.jobs.lifecycle;

/**
 * What departments and the command centre do to an incident (受理 → 派遣 → 处置 → 反馈 → 核查结案). Task
 * actions are a department's on its own task; incident actions are the command centre's.
 */
public enum LifecycleAction {
    ACKNOWLEDGE(true),
    EN_ROUTE(true),
    ON_SCENE(true),
    RESOLVE(true),
    /** 回退: hand the task to another department, with a reason. */
    TRANSFER(true),
    REJECT(true),
    /** 延期: more time for the task's deadlines, with a reason. */
    EXTEND(true),
    VERIFY(false),
    REOPEN(false),
    CANCEL(false),
    /** 评价: the citizen's satisfaction, 1-5, recorded after closing. */
    SATISFACTION(false),
    /** Closed by CityOps after a quiet period with no related report. */
    AUTO_VERIFY(false);

    private final boolean taskAction;

    LifecycleAction(boolean taskAction) {
        this.taskAction = taskAction;
    }

    public boolean isTaskAction() {
        return taskAction;
    }
}
