-- A redo of a succeeded action happens once per message (the repair or retry that asked for it), on
-- whichever attempt of that message first gets to run it; a redelivery of the same message does not
-- redo again.
ALTER TABLE enrollment_actions ADD COLUMN redo_message_id uuid;
