-- Who may join a service: its target groups (none = anyone the organiser enrols).
CREATE TABLE service_target_groups (
    service_id BIGINT NOT NULL REFERENCES services(id),
    target_group_id BIGINT NOT NULL REFERENCES target_groups(id),
    PRIMARY KEY (service_id, target_group_id)
);
