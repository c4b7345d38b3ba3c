-- 021: change counters. A server keeps answers of the people reads (a
-- resident's record, the resident list) and the sessions it has checked in
-- memory, and reuses them only while these counters are where they were when
-- the answer was made. Triggers bump them in the same transaction as the
-- change, so no writer, present or future, can forget to; and a reader reads
-- the counters BEFORE the data, so an answer is never filed under a counter
-- newer than what it shows.
--   people: anything a person's record or the list shows (the person, party
--           membership, volunteer, partner and worker records, care tags, the
--           names of places and organisations);
--   auth:   anything that decides who may see what (accounts, grants and the
--           places their grids, organisations and agreements cover) and
--           sessions ending.
-- Inserting places or organisations changes no answer already given, so only
-- their updates and deletes count (the all-China division import adds rows).
-- On PostgreSQL the triggers are per statement; the counter row is locked until
-- the writing transaction ends, which serialises writers of these tables only.
CREATE TABLE change_counters (
    id     INTEGER PRIMARY KEY,
    people BIGINT NOT NULL,
    auth   BIGINT NOT NULL
);
INSERT INTO change_counters(id, people, auth) VALUES (1, 0, 0);
{{SQLITE}}
CREATE TRIGGER people_insert_bumps_people AFTER INSERT ON people
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER people_update_bumps_people AFTER UPDATE ON people
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER people_delete_bumps_people AFTER DELETE ON people
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER party_members_insert_bumps_people AFTER INSERT ON party_members
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER party_members_update_bumps_people AFTER UPDATE ON party_members
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER party_members_delete_bumps_people AFTER DELETE ON party_members
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER volunteers_insert_bumps_people AFTER INSERT ON volunteers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER volunteers_update_bumps_people AFTER UPDATE ON volunteers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER volunteers_delete_bumps_people AFTER DELETE ON volunteers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER partners_insert_bumps_people AFTER INSERT ON partners
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER partners_update_bumps_people AFTER UPDATE ON partners
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER partners_delete_bumps_people AFTER DELETE ON partners
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER community_workers_insert_bumps_people AFTER INSERT ON community_workers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER community_workers_update_bumps_people AFTER UPDATE ON community_workers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER community_workers_delete_bumps_people AFTER DELETE ON community_workers
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER care_tags_insert_bumps_people AFTER INSERT ON care_tags
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER care_tags_update_bumps_people AFTER UPDATE ON care_tags
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER care_tags_delete_bumps_people AFTER DELETE ON care_tags
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER places_update_bumps_people AFTER UPDATE ON places
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER places_delete_bumps_people AFTER DELETE ON places
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_update_bumps_people AFTER UPDATE ON organisations
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_delete_bumps_people AFTER DELETE ON organisations
BEGIN UPDATE change_counters SET people = people + 1 WHERE id = 1; END;
CREATE TRIGGER grants_insert_bumps_auth AFTER INSERT ON grants
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER grants_update_bumps_auth AFTER UPDATE ON grants
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER grants_delete_bumps_auth AFTER DELETE ON grants
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER grid_places_insert_bumps_auth AFTER INSERT ON grid_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER grid_places_update_bumps_auth AFTER UPDATE ON grid_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER grid_places_delete_bumps_auth AFTER DELETE ON grid_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER org_places_insert_bumps_auth AFTER INSERT ON org_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER org_places_update_bumps_auth AFTER UPDATE ON org_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER org_places_delete_bumps_auth AFTER DELETE ON org_places
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER agreements_insert_bumps_auth AFTER INSERT ON agreements
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER agreements_update_bumps_auth AFTER UPDATE ON agreements
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER agreements_delete_bumps_auth AFTER DELETE ON agreements
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_update_bumps_auth AFTER UPDATE ON accounts
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_delete_bumps_auth AFTER DELETE ON accounts
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_update_bumps_auth AFTER UPDATE ON sessions
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_delete_bumps_auth AFTER DELETE ON sessions
BEGIN UPDATE change_counters SET auth = auth + 1 WHERE id = 1; END;
{{END}}
{{PG}}
CREATE FUNCTION bump_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET people = people + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE FUNCTION bump_auth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET auth = auth + 1 WHERE id = 1;
    RETURN NULL;
END $$;
CREATE TRIGGER people_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER party_members_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON party_members
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER volunteers_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON volunteers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER partners_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER community_workers_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON community_workers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER care_tags_bumps_people AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON care_tags
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER places_bumps_people AFTER UPDATE OR DELETE ON places
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER organisations_bumps_people AFTER UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_people();
CREATE TRIGGER grants_bumps_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grants
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
CREATE TRIGGER grid_places_bumps_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grid_places
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
CREATE TRIGGER org_places_bumps_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_places
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
CREATE TRIGGER agreements_bumps_auth AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agreements
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
CREATE TRIGGER accounts_bumps_auth AFTER UPDATE OR DELETE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
CREATE TRIGGER sessions_bumps_auth AFTER UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_auth();
{{END}}
