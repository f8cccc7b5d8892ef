-- A refund's suspend waits for enrollments of the same learner in the same course that are in flight
-- (from any order); this finds them without scanning the table.
CREATE INDEX enrollment_actions_in_flight ON enrollment_actions (course_code, student_id)
  WHERE action = 'enroll' AND status = 'in_progress';
