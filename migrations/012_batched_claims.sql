-- The claims of a batch of messages in one statement (one commit): each action is claimed by its own
-- INSERT … ON CONFLICT, in the order given, exactly as a claim alone would be (a second claim of the
-- same action in the batch sees the first and is refused as busy). For a refused claim the action's
-- current row comes back with it, so the caller tells done, dead and busy apart without asking again.
-- The caller orders the actions by business key: two batches lock common rows in the same order.
CREATE FUNCTION lms_sync_claim_actions(
  p_keys text[],
  p_actions text[],
  p_order_ids integer[],
  p_order_names text[],
  p_courses text[],
  p_students text[],
  p_events uuid[],
  p_reopen_dead boolean[],
  p_redo text[],
  p_messages uuid[],
  p_counterparts text[],
  p_lease_seconds float8,
  p_requested_at timestamptz[],
  p_locks text[]
) RETURNS TABLE (
  r_ord integer,
  r_attempts integer,
  r_generation integer,
  r_counterpart_done_at timestamptz,
  r_status text,
  r_last_error_code text,
  r_last_error text,
  r_lease_ends_in_ms float8
) LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    r_ord := i;
    r_attempts := NULL;
    r_generation := NULL;
    r_counterpart_done_at := NULL;
    r_status := NULL;
    r_last_error_code := NULL;
    r_last_error := NULL;
    r_lease_ends_in_ms := NULL;
    INSERT INTO enrollment_actions AS ea
      (business_key, action, order_id, order_name, course_code, student_id, status, lease_until, attempts, first_event_id)
    SELECT p_keys[i], p_actions[i], p_order_ids[i], p_order_names[i], p_courses[i], p_students[i], 'in_progress',
           now() + make_interval(secs => p_lease_seconds), 1, p_events[i]
     WHERE p_locks[i] IS NULL OR pg_try_advisory_xact_lock_shared(7302, hashtext(p_locks[i]))
    ON CONFLICT (business_key) DO UPDATE
       SET status = 'in_progress', lease_until = EXCLUDED.lease_until,
           attempts = ea.attempts + 1, updated_at = now(),
           generation = ea.generation + CASE WHEN ea.status = 'succeeded' THEN 1 ELSE 0 END,
           redo_message_id = CASE WHEN ea.status = 'succeeded' THEN p_messages[i] ELSE ea.redo_message_id END
     WHERE (ea.status <> 'succeeded'
            OR (ea.redo_message_id IS DISTINCT FROM p_messages[i]
                AND (p_redo[i] = 'always' OR (p_redo[i] = 'stale' AND ea.completed_at <
                     coalesce(p_requested_at[i], (SELECT o.created_at FROM outbox o WHERE o.message_id = p_messages[i]), now())
                       - interval '10 minutes'))))
       AND (ea.status <> 'in_progress' OR ea.lease_until < now())
       AND (ea.status <> 'dead' OR p_reopen_dead[i])
    RETURNING ea.attempts, ea.generation INTO r_attempts, r_generation;
    IF r_attempts IS NOT NULL THEN
      SELECT c.completed_at INTO r_counterpart_done_at
        FROM enrollment_actions c WHERE c.business_key = p_counterparts[i] AND c.status = 'succeeded';
    ELSE
      SELECT a.status, a.last_error_code, a.last_error,
             greatest(0, extract(epoch FROM a.lease_until - now()) * 1000)::float8
        INTO r_status, r_last_error_code, r_last_error, r_lease_ends_in_ms
        FROM enrollment_actions a WHERE a.business_key = p_keys[i];
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
