-- The edge registry: edges announce themselves with a heartbeat; the api hands out
-- playback URLs on edges seen recently.
create table edges (
  id            text primary key,
  region        text not null,
  public_url    text not null,
  internal_url  text not null,
  registered_at timestamptz not null default now(),
  last_seen_at  timestamptz not null default now()
);

create index edges_last_seen on edges (last_seen_at desc);
