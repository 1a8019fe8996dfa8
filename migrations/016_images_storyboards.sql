-- Artifacts made on demand and with the ladder (issue 14 §1): image variants under
-- images/ (a still or an animation, one row per canonical path, made by the segment runner
-- from a segment_jobs row of that path) and the storyboard's sprite sheet and WebVTT file.
alter table artifacts drop constraint artifacts_kind_check;
alter table artifacts add constraint artifacts_kind_check
  check (kind in ('opener', 'thumbnail', 'master', 'playlist', 'init', 'segment', 'storyboard', 'image'));
