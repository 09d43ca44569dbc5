-- When a journey next needs the run planner (epoch ms); NULL when nothing is owed. Written in the same
-- transaction as every change that makes work due, so a crash can never lose a pending transition.
ALTER TABLE journeys ADD COLUMN next_wake_ms BIGINT;
CREATE INDEX journeys_next_wake ON journeys (next_wake_ms);

-- When a run went RUNNING (its start lag is started_ms - scheduled_ms).
ALTER TABLE journey_runs ADD COLUMN started_ms BIGINT;
-- A journey has at most one SCHEDULED and one RUNNING run; this finds them without scanning its history.
CREATE INDEX journey_runs_open ON journey_runs (journey_id) WHERE status IN ('SCHEDULED', 'RUNNING');

-- db-scheduler's table, as its PostgreSQL schema defines it.
CREATE TABLE scheduled_tasks (
    task_name            TEXT NOT NULL,
    task_instance        TEXT NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE,
    picked               BOOLEAN NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT NOT NULL,
    priority             SMALLINT,
    state                TEXT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
