-- Who may mint playback tokens for an asset (like Mux's playback policy): `signed` (the
-- default, and what every asset so far has been) only through an authenticated API call;
-- `public` also through the public player page and its bootstrap (/player/{id}). A constant
-- default makes the new column a catalogue change, not a table rewrite.
alter table assets add column playback_policy text not null default 'signed'
  check (playback_policy in ('signed', 'public'));
