-- Viewers waiting for a segment job, across every api process. A viewer who seeks away
-- or closes the page stops waiting; a queued job nobody waits for any more is dropped, so
-- the encoders' slots go to where viewers are now, not where they were (leaveSegment in
-- packages/jobs). A crashed api leaves its count too high: the job is then only made
-- when it need not be, never dropped while wanted.
alter table segment_jobs add column waiters integer not null default 0;
