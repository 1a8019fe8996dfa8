// Generated from docs/openapi.json by `npm run docs` (packages/sdk/scripts/types.ts): do not edit.

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys of playback tokens (JWKS) */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document (OpenAPI 3.1) */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/player/kino-player.js": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The <kino-player> module (hls.js included)
         * @description One ES module. With `?v={hash}` (as the player page links it) it is immutable; without, it is revalidated hourly.
         */
        get: operations["getPlayerModule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/player/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A page that plays the asset
         * @description For assets whose playback_policy is `public` (any other id is a 404). Embeds <kino-player> with a bootstrap signed here, with short-lived tokens the player renews; before the opener is ready the player waits and starts by itself. Rate-limited per client address (429 RATE_LIMITED with Retry-After).
         */
        get: operations["getPlayerPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/player/{id}/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A fresh bootstrap for the player
         * @description For assets whose playback_policy is `public`, like the player page: what its player asks for when signed URLs expire or while only the opener is ready. Rate-limited per client address, together with the page. With `wait=playable`, an asset not playable yet is waited for, up to 15 s (and PLAYBACK_WAIT_MAX_SECONDS), before the 404 ASSET_NOT_PLAYABLE: a player learns of its opener the moment it is out, in one request rather than many polls.
         */
        get: operations["getPlayerPlayback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Postgres, Redis and S3 answer */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The key's account: its plan, limits and what it uses of them
         * @description Rate limits are per key and per route class (`*_per_minute`, also the burst); quotas are per account. An upload, key or webhook that would pass a quota is refused with 403 QUOTA_EXCEEDED.
         */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Account-wide playback totals, breakdowns and time series
         * @description With `group_by`, the busiest `limit` groups; with `interval`, a series per group (or for the total). Windows: at most 1 day with interval=minute, 31 days with hour, 92 days otherwise. The window is widened to whole hours (whole minutes with interval=minute) and the limit applies to the window as asked, so a day that does not start on a whole minute, such as 12:00:30 to 12:00:30, is accepted with interval=minute and answered as 12:00 to 12:01 the next day (1 day 1 minute). Without `from`: a day before `to`, widened; with interval=minute, the 1,440 whole minutes up to `to`.
         */
        get: operations["getPlaybackAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analyze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Measure PSNR, SSIM or VMAF of a video against a reference
         * @description A job of operation `analyze` (the jobs routes follow it): its `metrics` hold the scores and `sampled_seconds`; it has no outputs. The distorted video is scaled to the reference’s size and both compared from their first frame.
         */
        post: operations["analyzeQuality"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Assets of the account, newest first
         * @description Pages with `next_cursor`; pass it back as `cursor`. Items omit progress and artifacts: fetch one asset for those. Deleted assets are left out unless `include_deleted=true`; `playable_state=deleted` lists only them.
         */
        get: operations["listAssets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An asset with its states, source metadata, progress and artifacts */
        get: operations["getAsset"];
        put?: never;
        post?: never;
        /**
         * Delete an asset everywhere
         * @description Idempotent. Playback stops at once, including URLs already handed out (edges apply a revocation list); processing is cancelled; cached copies and origin objects are removed in the background (event asset.purged).
         */
        delete: operations["deleteAsset"];
        options?: never;
        head?: never;
        /**
         * Change an asset's playback policy, title or passthrough
         * @description Only the fields given change. A deleted asset cannot be changed (409 ASSET_DELETED).
         */
        patch: operations["updateAsset"];
        trace?: never;
    };
    "/v1/assets/{id}/analytics/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests, bytes and cache behaviour of one asset
         * @description Counted from every request the edges answered for the asset, refusals included.
         */
        get: operations["getAssetPlaybackAnalytics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/analytics/qoe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Quality of experience from the players' beacons
         * @description From the beacons of Kino players (or any player posting to the edge's /beacon).
         */
        get: operations["getAssetQoe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/clips": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cut a clip of an asset: a new asset of its own
         * @description The clip is a new asset (`clip_of`, `clip`), `importing` until a job cuts [start, end) from the parent’s source — copied when start is on a keyframe, encoded otherwise (`clip.mode`) — then processed like an upload, with its own events. It keeps its own source, so deleting the parent does not affect a clip once cut. Counts as an upload against the account’s quotas.
         */
        post: operations["createClip"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An asset's events in order
         * @description Pass `next_after_sequence` back as `after_sequence` to walk the log exactly once.
         */
        get: operations["listAssetEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/playback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Signed playback URLs on the best healthy edge
         * @description A 404 ASSET_NOT_PLAYABLE until the opener is ready.
         */
        get: operations["getPlayback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/assets/{id}/static-renditions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make downloadable files of an asset: an MP4 of the top rung, an M4A of the audio
         * @description Made by a job once the source is probed; `static_renditions` on the asset shows each (`preparing`, `ready` with ffprobe metadata, or `errored`), `asset.static_rendition_ready` announces it, and the playback block has its signed edge URL (urls.static_renditions), served with Content-Disposition: attachment. Idempotent: renditions asked for already are left as they are (200); an errored one asked again is made again. 409 while the asset is not processed yet or when it failed.
         */
        post: operations["createStaticRenditions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Containers, codecs, filters, operations and limits of the encoding tier
         * @description Read from the live workers’ ffmpeg (`-muxers`, `-encoders`, `-filters`), not from a list in the api: the intersection over live workers, so whatever worker claims a job has it. With no worker alive, the last known report, `ffmpeg.stale: true`.
         */
        get: operations["getCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/estimate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Expected processing time and output sizes of a source under a preset
         * @description The source is a probe summary `{duration, width, height, fps?, codec?}` or `{asset_id}` (its recorded probe). `{url}` is refused with 422 ESTIMATE_SOURCE_UNSUPPORTED for now: probing a URL is not done yet. Time comes from the workers' measured encode speeds per codec and output height (`basis.measured: false` when a default was used); sizes are the preset's target bitrates × duration.
         */
        post: operations["createEstimate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every event of the account, live (Server-Sent Events)
         * @description text/event-stream: `id:` is the sequence, `event:` the type, `data:` the Event as JSON. Reconnect with Last-Event-ID (or after_sequence) to replay what was missed; without either the stream starts now, and opens with a block of `id:` alone, the sequence it starts after: a reconnection from there misses nothing. Comments (`: ping`) keep the connection alive. A client that reads too slowly is disconnected. The API key is re-checked on every ping: once it is revoked the stream ends with an `event: error` whose data is the usual error body (code `API_KEY_REVOKED`), and reconnecting answers 401.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Jobs of the account, newest first
         * @description Pages with `next_cursor`; pass it back as `cursor`.
         */
        get: operations["listJobs"];
        put?: never;
        /**
         * Run an ffmpeg job: a typed operation or a command
         * @description Answers 202 at once with the job queued; follow it with GET /v1/jobs/{id}, the SSE stream or webhooks (`job.*`). A command refused by the allowlist is 422 INVALID_COMMAND with `details.token`.
         */
        post: operations["createJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job: state, progress, error, outputs with metadata and download URLs, metrics */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /**
         * Cancel a queued or running job
         * @description A running ffmpeg is killed at once. A job already over is 409 JOB_FINISHED (its outputs: DELETE /v1/jobs/{id}/outputs).
         */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/outputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete the stored outputs of a finished job
         * @description The job stays, with no outputs. A job still queued or running is 409 JOB_NOT_FINISHED.
         */
        delete: operations["deleteJobOutputs"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/outputs/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a job's output (the signed URL from GET /v1/jobs/{id}) */
        get: operations["downloadJobOutput"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's live keys, newest first (never the keys themselves) */
        get: operations["listKeys"];
        put?: never;
        /**
         * Create an API key; the response carries the key itself, shown only this once
         * @description `full`: everything. `upload`: create uploads and imports. `read`: assets, events, analytics, webhooks (reading). `playback`: signed playback URLs, and nothing else. A key may have several.
         */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a key: every api process refuses it within a second, and its event streams end
         * @description The key that makes this call may revoke itself.
         */
        delete: operations["revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Presets: the built-ins, then the account's own by name */
        get: operations["listPresets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One preset, built in or the account's */
        get: operations["getPreset"];
        put?: never;
        /**
         * Create a preset of the account; parts left out are the default ladder’s
         * @description Built-in names are refused (409 PRESET_BUILTIN); an account holds at most 50 presets (409 TOO_MANY_PRESETS).
         */
        post: operations["createPreset"];
        /**
         * Delete a preset of the account
         * @description Assets already uploaded with it keep it.
         */
        delete: operations["deletePreset"];
        options?: never;
        head?: never;
        /**
         * Change a preset of the account
         * @description `video` is merged over the preset’s (`null` makes it audio only). Assets already uploaded with it keep the preset as it was.
         */
        patch: operations["updatePreset"];
        trace?: never;
    };
    "/v1/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Processing queue, workers and the admission estimate
         * @description Counts are for the whole deployment, not one account. Uploads are refused with 503 OVERLOADED while `estimate.wait_seconds` is over `admission.max_wait_seconds`.
         */
        get: operations["getStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open a direct upload to storage
         * @description Creates the asset (source_state `awaiting_upload`) and answers with presigned URLs: one PUT up to UPLOAD_SINGLE_PUT_MAX_BYTES (or when `bytes` is not given), numbered parts above it. Send the bytes there, then POST `complete_url`. An upload not completed by `expires_at` is given up (its asset fails with UPLOAD_EXPIRED). Refused with 503 OVERLOADED (and Retry-After) while the queue is too long, like every upload.
         */
        post: operations["createUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads/tus": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a resumable (tus 1.0) upload
         * @description tus creation (and creation-with-upload). The asset exists from here on, in source_state `awaiting_upload`; its id is in Kino-Asset-Id and the upload URL in Location. Upload-Metadata keys: title, passthrough, filetype, playback_policy.
         */
        post: operations["createTusUpload"];
        delete?: never;
        /** What the tus server offers (Tus-Version, Tus-Extension, Tus-Max-Size), and CORS preflight */
        options: operations["getTusOptions"];
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/uploads/tus/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Terminate an unfinished tus upload
         * @description Its stored bytes are removed and the asset fails with UPLOAD_CANCELLED (it stays listed).
         */
        delete: operations["terminateTusUpload"];
        /** What the tus server offers (Tus-Version, Tus-Extension, Tus-Max-Size), and CORS preflight */
        options: operations["getTusUploadOptions"];
        /**
         * How much of a tus upload is stored
         * @description When the offset is the length, the upload is finished (and admitted, if it was not yet).
         */
        head: operations["getTusUploadOffset"];
        /**
         * Send bytes of a tus upload, from Upload-Offset on
         * @description The bytes stream to storage as they arrive. When the last one is in, the file is checked like a streamed upload (415 NOT_MEDIA, 413 PAYLOAD_TOO_LARGE: the asset fails and nothing is kept) and its processing is queued.
         */
        patch: operations["appendTusUpload"];
        trace?: never;
    };
    "/v1/uploads/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete a direct upload and queue its processing
         * @description Checks the stored file (the declared size, and that it is media, as a streamed upload is checked) and queues processing. Completing again answers the asset as it is. Before the bytes are all in: 409 UPLOAD_INCOMPLETE (nothing changes; send what is missing and complete again). Not media: 415 NOT_MEDIA, and the stored bytes are removed. The answer that queues processing carries `estimated_ready_at` for hls_ready.
         */
        post: operations["completeUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Minutes ingested and encoded, storage byte-hours and delivery of the account, per bucket
         * @description The window is widened to whole buckets of `interval` (UTC days or hours); at most 92 days with interval=day, 31 with hour. Without `from`: a day before `to`. Delivery needs ClickHouse (503 ANALYTICS_UNAVAILABLE while it is away).
         */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a video, or import one from a URL
         * @description Send the file as the raw body (any video/*, audio/* or application/octet-stream content type) or as multipart/form-data with one file field (form fields title, passthrough and playback_policy must come before the file). Returns at once with the asset; processing continues in the background. Or send JSON `{"url": …}` (with title, passthrough, playback_policy in the same object, and no query parameters): the answer is 202 with the asset `importing`, and a worker fetches the URL, then processes it like an upload.
         */
        post: operations["createVideo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook endpoints of the account, oldest first (without secrets) */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Add a webhook endpoint; the response carries its signing secret, shown only this once
         * @description Each event of the account (of `event_types`, when given) is POSTed to `url` as JSON in the shape Standard Webhooks recommends, `{"type", "timestamp", "data"}`: `data` is the event as `GET /v1/events` sends it (`{"id": <sequence>, "type", "asset_id", "created_at", "data"}`) and `timestamp` its `created_at`. It is signed per Standard Webhooks (https://www.standardwebhooks.com): `webhook-id` (the delivery id, the same on every retry), `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` keyed with the base64-decoded part of `secret` after `whsec_`; after a rotation, a second space-separated `v1,` signature with the old secret until the overlap ends. Any 2xx is success; anything else, a timeout or a network error is retried with exponential backoff and jitter for about a day (3xx redirects are not followed; 410 stops at once). After 3 failed attempts in a row the endpoint is paused (growing pauses, one probe each); failing for WEBHOOK_DISABLE_AFTER_SECONDS (3 days) disables it, with a `webhook.disabled` event. Events go out roughly in order, one at a time per endpoint, but a retry can overtake: order and deduplicate by the event `id`. URLs resolving to private, loopback or link-local addresses are refused at delivery time unless the server allows them.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint (without its secret) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint; its pending deliveries are cancelled
         * @description Idempotent: deleting it again answers 204 as well. A send already under way finishes.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deliveries to a webhook endpoint, newest event first, with every attempt and response
         * @description Pages with `next_cursor`; pass it back as `cursor`.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now, whatever its state; its retries start over
         * @description The same `webhook-id` (receivers deduplicate by it); each new attempt is added to its `attempt_log`. 409 `WEBHOOK_DISABLED` while the endpoint is disabled, 409 `DELIVERY_IN_FLIGHT` while it is being sent.
         */
        post: operations["redeliverWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a webhook endpoint again (after it was disabled for failing), closing its circuit breaker
         * @description It gets the events from now on; deliveries failed when it was disabled can be redelivered. On an enabled endpoint it resets the breaker (a paused endpoint is tried at once).
         */
        post: operations["enableWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give a webhook endpoint a new signing secret, shown only this once; the old one keeps signing during the overlap
         * @description Until `previous_secret_expires_at` every delivery carries two signatures in `webhook-signature` (`v1,<new> v1,<old>`), so a receiver verifies with either while it switches. Rotating again during an overlap drops the oldest secret.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "asset.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An upload started: the asset exists in source_state uploading (streamed), awaiting_upload (a direct or tus upload) or importing (a URL import).
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetCreatedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The asset was deleted; playback stops everywhere.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetDeletedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.edges_warmed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Edges were asked to cache new artifacts: data.paths, and data.ok / data.failed (the ids of the edges that did and did not).
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetEdgesWarmedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.errored": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Processing failed for good, or the source never came (an import that could not be fetched, a direct upload that is not media or expired): data.code, data.message.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetErroredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.hls_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Every segment of every rendition is stored: nothing is left to make on demand.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetHlsReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.opener_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The opener is stored: the asset is playable.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetOpenerReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.playlists_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The master and every media playlist are published, listing every planned segment: the whole video plays and seeks, each segment not encoded yet made on demand. data.renditions, data.segments, data.duration_sec.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetPlaylistsReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.purged": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The asset's cached files and origin objects are gone.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetPurgedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.rendition_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Every segment of one HLS rendition is stored (the audio rendition first): data.rendition, width, height, bitrate (the peak, as the master's BANDWIDTH; the asset's renditions[].bitrate is the average), codecs.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetRenditionReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.source_uploaded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The whole source is stored (uploaded, or fetched from its URL); processing is queued.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetSourceUploadedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.static_rendition_errored": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A static rendition could not be made: data.name, data.code, data.message.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetStaticRenditionErroredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.static_rendition_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A static rendition (a download: `highest` MP4 or `audio` M4A) is stored: data.name, data.path and its ffprobe metadata.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetStaticRenditionReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.storyboard_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The storyboard (sprite sheet and WebVTT file, for seek-bar previews) is stored.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetStoryboardReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "asset.thumbnail_ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The thumbnail is stored.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["assetThumbnailReadyWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A job of the jobs API was cancelled (DELETE /v1/jobs/{id}): data.job_id, data.operation. asset_id is null.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobCancelledWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A job of the jobs API failed for good: data.job_id, data.operation, data.code, data.message. asset_id is null.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobFailedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The job reached a step, or a tenth of the way through one: data.step, data.fraction. For a job of the jobs API asset_id is null and data.job_id is its id.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobProgressWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.queued": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A job was queued: a URL import (data.reason `import`), a clip cut (`clip`), static renditions (`static_renditions`), processing (again, after a retry), after a delete the purge (data.reason `deleted`), or a job of the jobs API (data.reason `submitted`; asset_id null, data.job_id its id).
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobQueuedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.started": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A worker claimed the job; data.attempt counts attempts. For a job of the jobs API asset_id is null and data.job_id is its id.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobStartedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "job.succeeded": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A job of the jobs API (POST /v1/jobs, /v1/analyze) finished: data.job_id, data.operation, data.outputs (names). An event of the account: asset_id is null.
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["jobSucceededWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook.disabled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A webhook endpoint that failed every attempt for WEBHOOK_DISABLE_AFTER_SECONDS (3 days) was disabled: its pending deliveries failed and it gets no new ones until `POST /v1/webhooks/{id}/enable`. An event of the account, not of an asset: asset_id is null. data.webhook_id, data.failing_since, data.failures (attempts failed in a row).
         * @description Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); see POST /v1/webhooks. Any 2xx is success.
         */
        post: operations["webhookDisabledWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        ApiKey: {
            /** Format: uuid */
            id: string;
            name: string;
            /** @description The first characters of the key: enough to recognise it, useless to anyone else. */
            prefix: string;
            scopes: ("full" | "upload" | "read" | "playback")[];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at: string | null;
            /**
             * Format: date-time
             * @description Recorded at most once a minute.
             */
            last_used_at: string | null;
        };
        Asset: {
            /** Format: uuid */
            id: string;
            title: string | null;
            passthrough: string | null;
            /**
             * @description `uploading` while the bytes stream in through POST /v1/videos; `awaiting_upload` until a direct (POST /v1/uploads) or tus upload is finished; `importing` while a URL import is fetched; `uploaded` once they are all stored, and it stays so when processing succeeds; `failed` when the source cannot be had or read (unreachable, not media, truncated or corrupt: `error` says why).
             * @enum {string}
             */
            source_state: "uploading" | "awaiting_upload" | "importing" | "uploaded" | "failed";
            /**
             * @description `deleted` once the asset is deleted (see deleted_at), whatever it was before.
             * @enum {string}
             */
            playable_state: "not_playable" | "opener_ready" | "hls_ready" | "deleted";
            /**
             * @description `signed`: playback URLs only from authenticated calls. `public`: also the public player page /player/{id}, which mints short-lived tokens for anyone.
             * @enum {string}
             */
            playback_policy: "signed" | "public";
            /** @description The preset it is encoded to, as it was at upload (later edits of the preset do not change it); null: the default ladder. */
            preset: string | null;
            source: {
                content_type: string | null;
                bytes: number | null;
                /** @description ffprobe's summary of the source. */
                meta: {
                    [key: string]: unknown;
                } | null;
            };
            error: {
                code: string;
                message: string;
            } | null;
            /** @description The processing job: its state, current step and how far along it is (0..1); only on one asset. */
            progress?: {
                /** @enum {string} */
                job_state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                /**
                 * @description The step in hand: import_source: fetch; cut_clip: cut, upload; process_source: probe, opener, playlists; encode_ladder: download, probe, audio, ladder, thumbnail, storyboard, upload, metrics; encode_static: highest, audio; purge_asset: purge; run_job: fetch, encode, probe, upload, measure (in the order first reported; see the README). `done` once the job succeeded.
                 * @enum {string|null}
                 */
                step: "fetch" | "cut" | "upload" | "probe" | "opener" | "playlists" | "download" | "audio" | "ladder" | "thumbnail" | "storyboard" | "metrics" | "highest" | "purge" | "encode" | "measure" | "done" | null;
                fraction: number | null;
                attempts: number;
                max_attempts: number;
            } | null;
            /** @description Only on one asset (not in lists). */
            artifacts?: {
                path: string;
                /** @enum {string} */
                kind: "opener" | "thumbnail" | "storyboard" | "master" | "playlist" | "init" | "static";
                content_type: string;
                bytes: number;
                rendition: string | null;
                width: number | null;
                height: number | null;
                bitrate: number | null;
            }[];
            /** @description Only on one asset (not in lists). */
            renditions?: {
                name: string;
                width: number | null;
                height: number | null;
                bitrate: number | null;
                segments: number;
                bytes: number;
                /** @description The rendition's picture against the source, scaled to the source's size, sampled after hls_ready; null for audio and until measured. */
                quality: {
                    /** @description Mean PSNR in dB (100 = identical). */
                    psnr: number;
                    /** @description Mean SSIM, 0..1 (1 = identical). */
                    ssim: number;
                    /** @description Seconds compared: three short windows spread over the video. */
                    sampled_seconds: number;
                } | null;
            }[];
            /** @description Downloads asked for (POST /v1/assets/{id}/static-renditions), with ffprobe metadata once ready; their signed URLs are in the playback block (urls.static_renditions). Only on one asset. */
            static_renditions?: {
                /** @enum {string} */
                name: "highest" | "audio";
                /**
                 * @description `preparing` until made (it waits for the source to be probed), then `ready` or `errored`.
                 * @enum {string}
                 */
                status: "preparing" | "ready" | "errored";
                /** @description Seconds. */
                duration?: number;
                bytes?: number;
                /** @description Bits per second, over the whole file. */
                bitrate?: number | null;
                /** @description ffprobe's format name. */
                container?: string;
                video_codec?: string | null;
                audio_codec?: string | null;
                width?: number | null;
                height?: number | null;
                error?: {
                    code: string;
                    message: string;
                };
            }[];
            /**
             * Format: uuid
             * @description The asset this one was cut from; null unless it is a clip.
             */
            clip_of: string | null;
            /** @description A clip: its range in seconds of the parent (`clip_of`). */
            clip: {
                start: number;
                end: number;
                /**
                 * @description `copy` when the cut started on a keyframe and the streams were copied, `encode` otherwise; set once cut.
                 * @enum {string}
                 */
                mode?: "copy" | "encode";
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            deleted_at: string | null;
            links: {
                self: string;
                events: string;
            };
            playback?: components["schemas"]["Playback"];
            /** @description Only on an upload with wait=playable: how the wait ended. */
            wait?: {
                /** @description True when the asset was still not playable when the wait ended. */
                timed_out: boolean;
                waited_seconds: number;
            };
            /**
             * Format: date-time
             * @description Only on an upload: when it should reach hls_ready, estimated from the queue and recent job durations as it was admitted (see GET /v1/status); null when unknown (no job has succeeded yet) and on a replay of an earlier Idempotency-Key.
             */
            estimated_ready_at?: string | null;
        };
        /** @description An upload started: the asset exists in source_state uploading (streamed), awaiting_upload (a direct or tus upload) or importing (a URL import). */
        AssetCreatedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.created";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                title: string | null;
            };
        };
        /** @description The asset was deleted; playback stops everywhere. */
        AssetDeletedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.deleted";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: Record<string, never>;
        };
        /** @description Edges were asked to cache new artifacts: data.paths, and data.ok / data.failed (the ids of the edges that did and did not). */
        AssetEdgesWarmedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.edges_warmed";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                paths: string[];
                /** @description The edges that cached them. */
                ok: string[];
                /** @description The edges that did not. */
                failed: string[];
            };
        };
        /** @description Processing failed for good, or the source never came (an import that could not be fetched, a direct upload that is not media or expired): data.code, data.message. */
        AssetErroredEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.errored";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description Stable UPPER_SNAKE code of the failure. */
                code: string;
                message: string;
                job_id?: number | string;
            };
        };
        /** @description Every segment of every rendition is stored: nothing is left to make on demand. */
        AssetHlsReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.hls_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description Rendition names, audio included. */
                renditions: string[];
            };
        };
        /** @description The opener is stored: the asset is playable. */
        AssetOpenerReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.opener_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                path: string;
                bytes: number;
            };
        };
        /** @description The master and every media playlist are published, listing every planned segment: the whole video plays and seeks, each segment not encoded yet made on demand. data.renditions, data.segments, data.duration_sec. */
        AssetPlaylistsReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.playlists_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description Rendition names, audio included. */
                renditions: string[];
                /** @description Segments per rendition. */
                segments: number;
                duration_sec: number;
            };
        };
        /** @description The asset's cached files and origin objects are gone. */
        AssetPurgedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.purged";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description Origin objects removed. */
                objects: number;
                edges: {
                    /** @description The edges that dropped it. */
                    ok: string[];
                    /** @description The edges that could not be told. */
                    failed: string[];
                };
            };
        };
        /** @description Every segment of one HLS rendition is stored (the audio rendition first): data.rendition, width, height, bitrate (the peak, as the master's BANDWIDTH; the asset's renditions[].bitrate is the average), codecs. */
        AssetRenditionReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.rendition_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                rendition: string;
                width: number | null;
                height: number | null;
                /** @description The peak, as the master playlist’s BANDWIDTH. */
                bitrate: number | null;
                codecs: string;
            };
        };
        /** @description The whole source is stored (uploaded, or fetched from its URL); processing is queued. */
        AssetSourceUploadedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.source_uploaded";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description The size of the stored source. */
                bytes: number;
            };
        };
        /** @description A static rendition could not be made: data.name, data.code, data.message. */
        AssetStaticRenditionErroredEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.static_rendition_errored";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @enum {string} */
                name: "highest" | "audio";
                /** @description Stable UPPER_SNAKE code of the failure. */
                code: string;
                message: string;
            };
        };
        /** @description A static rendition (a download: `highest` MP4 or `audio` M4A) is stored: data.name, data.path and its ffprobe metadata. */
        AssetStaticRenditionReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.static_rendition_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @enum {string} */
                name: "highest" | "audio";
                path: string;
                /** @description Seconds. */
                duration: number;
                bytes: number;
                /** @description Bits per second, over the whole file. */
                bitrate: number | null;
                /** @description ffprobe's format name. */
                container: string;
                video_codec: string | null;
                audio_codec: string | null;
                width: number | null;
                height: number | null;
            };
        };
        /** @description The storyboard (sprite sheet and WebVTT file, for seek-bar previews) is stored. */
        AssetStoryboardReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.storyboard_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                /** @description The WebVTT file, then the sprite sheet. */
                paths: string[];
                tiles: number;
                /** @description Seconds of video each tile stands for. */
                interval_seconds: number;
                tile_width: number;
                tile_height: number;
            };
        };
        /** @description The thumbnail is stored. */
        AssetThumbnailReadyEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "asset.thumbnail_ready";
            /**
             * Format: uuid
             * @description The asset the event is about.
             */
            asset_id: string;
            /** Format: date-time */
            created_at: string;
            data: {
                path: string;
                bytes: number;
            };
        };
        Error: {
            error: {
                /**
                 * @description Stable UPPER_SNAKE identifier of the error; the README lists when each is answered.
                 * @enum {string}
                 */
                code: "VALIDATION_ERROR" | "INVALID_JSON" | "EMPTY_BODY" | "INVALID_CURSOR" | "INVALID_TIMESTAMP" | "INVALID_WINDOW" | "WINDOW_TOO_LARGE" | "INVALID_WEBHOOK_URL" | "INVALID_SOURCE_URL" | "INVALID_CLIP_RANGE" | "INVALID_PARTS" | "UNKNOWN_PRESET" | "BAD_REQUEST" | "INVALID_PATH" | "UNAUTHORIZED" | "INVALID_API_KEY" | "API_KEY_EXPIRED" | "ACCOUNT_DISABLED" | "INSUFFICIENT_SCOPE" | "QUOTA_EXCEEDED" | "API_KEY_REVOKED" | "TOKEN_MISSING" | "TOKEN_MALFORMED" | "TOKEN_EXPIRED" | "TOKEN_NOT_YET_VALID" | "TOKEN_BAD_SIGNATURE" | "TOKEN_UNKNOWN_KEY" | "TOKEN_BAD_ALGORITHM" | "TOKEN_WRONG_AUDIENCE" | "TOKEN_MISSING_CLAIMS" | "TOKEN_WRONG_ASSET" | "NOT_FOUND" | "ROUTE_NOT_FOUND" | "ASSET_NOT_PLAYABLE" | "ARTIFACT_NOT_FOUND" | "UNPUBLISHED_ARTIFACT" | "UNKNOWN_ARTIFACT" | "INVALID_IMAGE_PARAMS" | "IMAGE_VARIANT_LIMIT" | "NOT_IN_PLAN" | "METHOD_NOT_ALLOWED" | "INVALID_DOWNLOAD_TOKEN" | "JOB_FINISHED" | "JOB_NOT_FINISHED" | "IDEMPOTENCY_KEY_IN_USE" | "UPLOAD_INCOMPLETE" | "ASSET_NOT_READY" | "ASSET_FAILED" | "NOT_A_DIRECT_UPLOAD" | "UPLOAD_OFFSET_MISMATCH" | "UPLOAD_INTERRUPTED" | "UPLOAD_EXPIRED" | "ASSET_DELETED" | "WEBHOOK_DISABLED" | "DELIVERY_IN_FLIGHT" | "PRESET_BUILTIN" | "PRESET_EXISTS" | "TOO_MANY_PRESETS" | "TUS_VERSION_UNSUPPORTED" | "PAYLOAD_TOO_LARGE" | "URI_TOO_LONG" | "UNSUPPORTED_CONTENT_TYPE" | "NOT_MEDIA" | "IDEMPOTENCY_KEY_REUSED" | "INVALID_COMMAND" | "INVALID_OPTIONS" | "INVALID_INPUT" | "METRIC_UNAVAILABLE" | "TOO_MANY_JOBS" | "PRESET_NOT_SUPPORTED_FOR_UPLOADS" | "ESTIMATE_SOURCE_UNSUPPORTED" | "RATE_LIMITED" | "TOO_MANY_STREAMS" | "INTERNAL_ERROR" | "TUS_EXTENSION_UNSUPPORTED" | "ORIGIN_UNAVAILABLE" | "ANALYTICS_UNAVAILABLE" | "OVERLOADED" | "NO_EDGE_AVAILABLE" | "SEGMENT_NOT_READY" | "TOO_MANY_FILLS" | "TOO_MANY_FILLS_FOR_TOKEN" | "TOO_MANY_FILLS_FOR_ASSET" | "SHUTTING_DOWN";
                message: string;
                details?: unknown;
                request_id: string;
            };
        };
        /** @description An event of the log: SSE `data:`, a page of GET /v1/assets/{id}/events, the `data` of a webhook delivery. */
        Event: components["schemas"]["AssetCreatedEvent"] | components["schemas"]["AssetSourceUploadedEvent"] | components["schemas"]["JobQueuedEvent"] | components["schemas"]["JobStartedEvent"] | components["schemas"]["JobProgressEvent"] | components["schemas"]["JobSucceededEvent"] | components["schemas"]["JobFailedEvent"] | components["schemas"]["JobCancelledEvent"] | components["schemas"]["AssetPlaylistsReadyEvent"] | components["schemas"]["AssetOpenerReadyEvent"] | components["schemas"]["AssetThumbnailReadyEvent"] | components["schemas"]["AssetStoryboardReadyEvent"] | components["schemas"]["AssetRenditionReadyEvent"] | components["schemas"]["AssetHlsReadyEvent"] | components["schemas"]["AssetEdgesWarmedEvent"] | components["schemas"]["AssetErroredEvent"] | components["schemas"]["AssetStaticRenditionReadyEvent"] | components["schemas"]["AssetStaticRenditionErroredEvent"] | components["schemas"]["AssetDeletedEvent"] | components["schemas"]["AssetPurgedEvent"] | components["schemas"]["WebhookDisabledEvent"];
        /** @description A job of the jobs API. */
        Job: {
            /** Format: uuid */
            id: string;
            /** @description A typed operation, `command` or `analyze`. */
            operation: string;
            /** @enum {string} */
            state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            progress: number;
            error: {
                code: string;
                message: string;
            } | null;
            outputs: {
                name: string;
                bytes: number;
                content_type: string;
                /** @description ffprobe’s summary: format, duration_sec, bit_rate, streams. */
                metadata: {
                    [key: string]: unknown;
                };
                /** @description Signed and expiring (JOBS_DOWNLOAD_TTL_SECONDS); needs no API key. */
                download_url: string;
                /** Format: date-time */
                expires_at: string;
            }[];
            metrics: {
                [key: string]: number;
            } | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            started_at: string | null;
            /** Format: date-time */
            finished_at: string | null;
        };
        /** @description A job of the jobs API was cancelled (DELETE /v1/jobs/{id}): data.job_id, data.operation. asset_id is null. */
        JobCancelledEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.cancelled";
            /** @description An event of the account, not of an asset. */
            asset_id: null;
            /** Format: date-time */
            created_at: string;
            data: {
                /**
                 * Format: uuid
                 * @description The job (GET /v1/jobs/{id}).
                 */
                job_id: string;
                /** @description The job’s operation: convert, trim, …, command, analyze. */
                operation: string;
            };
        };
        /** @description A job of the jobs API failed for good: data.job_id, data.operation, data.code, data.message. asset_id is null. */
        JobFailedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.failed";
            /** @description An event of the account, not of an asset. */
            asset_id: null;
            /** Format: date-time */
            created_at: string;
            data: {
                /**
                 * Format: uuid
                 * @description The job (GET /v1/jobs/{id}).
                 */
                job_id: string;
                /** @description The job’s operation: convert, trim, …, command, analyze. */
                operation: string;
                /** @description Stable UPPER_SNAKE code of the failure. */
                code: string;
                message: string;
            };
        };
        /** @description The job reached a step, or a tenth of the way through one: data.step, data.fraction. For a job of the jobs API asset_id is null and data.job_id is its id. */
        JobProgressEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.progress";
            /**
             * Format: uuid
             * @description The asset the job works on; null for a job of the jobs API.
             */
            asset_id: string | null;
            /** Format: date-time */
            created_at: string;
            data: {
                job_id: number | string;
                /** @description The step reached (see the asset’s progress.step). */
                step: string | null;
                fraction: number;
            };
        };
        /** @description A job was queued: a URL import (data.reason `import`), a clip cut (`clip`), static renditions (`static_renditions`), processing (again, after a retry), after a delete the purge (data.reason `deleted`), or a job of the jobs API (data.reason `submitted`; asset_id null, data.job_id its id). */
        JobQueuedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.queued";
            /**
             * Format: uuid
             * @description The asset the job works on; null for a job of the jobs API.
             */
            asset_id: string | null;
            /** Format: date-time */
            created_at: string;
            data: {
                job_id: number | string;
                /** @description Why: `uploaded`, `import`, `clip` (a clip's cut), `static_renditions`, `ladder`, `retry` (after a failed attempt), `released` (a worker stopped), `lease_expired`, `deleted` (the purge), `submitted` (a job of the jobs API). */
                reason: string;
                /** @description The job’s operation: convert, trim, …, command, analyze. */
                operation?: string;
                /** @description With `retry`: the attempt that failed. */
                failed_attempt?: number;
                /** @description With `retry`: why the attempt failed. */
                error?: {
                    /** @description Stable UPPER_SNAKE code of the failure. */
                    code: string;
                    message: string;
                };
            };
        };
        /** @description A worker claimed the job; data.attempt counts attempts. For a job of the jobs API asset_id is null and data.job_id is its id. */
        JobStartedEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.started";
            /**
             * Format: uuid
             * @description The asset the job works on; null for a job of the jobs API.
             */
            asset_id: string | null;
            /** Format: date-time */
            created_at: string;
            data: {
                job_id: number | string;
                /** @description Attempts so far, this one included. */
                attempt: number;
            };
        };
        /** @description A job of the jobs API (POST /v1/jobs, /v1/analyze) finished: data.job_id, data.operation, data.outputs (names). An event of the account: asset_id is null. */
        JobSucceededEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "job.succeeded";
            /** @description An event of the account, not of an asset. */
            asset_id: null;
            /** Format: date-time */
            created_at: string;
            data: {
                /**
                 * Format: uuid
                 * @description The job (GET /v1/jobs/{id}).
                 */
                job_id: string;
                /** @description The job’s operation: convert, trim, …, command, analyze. */
                operation: string;
                /** @description Output names. */
                outputs: string[];
            };
        };
        Playback: {
            /** Format: uuid */
            asset_id?: string;
            /** @enum {string} */
            playable_state?: "opener_ready" | "hls_ready";
            /** Format: date-time */
            expires_at?: string;
            edge?: {
                id?: string | null;
                region?: string | null;
                url?: string;
            };
            startup_rendition?: string | null;
            urls?: {
                /** @description The HLS master playlist, from asset.playlists_ready on: it plays the whole video, segments not encoded yet made on demand. */
                master?: string | null;
                /** @description The first seconds as a small MP4, playable at once. */
                opener?: string | null;
                thumbnail?: string | null;
                /** @description The storyboard: a WebVTT file whose cues name a tile of its sprite sheet (`{sprite}#xywh=x,y,w,h`, relative to it), from asset.storyboard_ready on: seek-bar previews. */
                storyboard?: string | null;
                /** @description Downloads (POST /v1/assets/{id}/static-renditions), each null until ready; the edge serves them with Content-Disposition: attachment. */
                static_renditions?: {
                    highest?: string | null;
                    audio?: string | null;
                };
            };
            prefetch?: string[];
            /** @description QoE beacons: POST a JSON body with this token to this URL (see the edge's /beacon). */
            beacon?: {
                url?: string;
                token?: string;
            };
        };
        Preset: {
            name: string;
            description: string;
            /** @description Built-ins are the same for every account and cannot be changed. */
            builtin: boolean;
            /** @description null: audio only. */
            video: {
                /**
                 * @description The video codec of every rung: H.264, H.265 (hvc1) or AV1 (SVT-AV1).
                 * @enum {string}
                 */
                codec: "h264" | "h265" | "av1";
                /** @description The top rung's short side (never upscaled: a smaller source tops out at its own). */
                max_height: number;
                /**
                 * @description `high`: bitrates × 1.5 and a slower encoder preset.
                 * @enum {string}
                 */
                quality: "standard" | "high";
                /**
                 * @description A centre crop to this aspect before scaling; null for none.
                 * @enum {string|null}
                 */
                crop: "9:16" | "1:1" | null;
            } | null;
            audio: {
                /** @enum {string} */
                codec: "aac";
                bitrate_kbps: number;
            };
        };
        Webhook: {
            /** Format: uuid */
            id: string;
            url: string;
            /** @description The event types sent to this endpoint; null for all of them. */
            event_types: ("asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled")[] | null;
            description: string | null;
            /** Format: date-time */
            created_at: string;
            /** @description False once disabled for failing too long; `POST /v1/webhooks/{id}/enable` enables it. */
            enabled: boolean;
            /** Format: date-time */
            disabled_at: string | null;
            /** @description Attempts failed in a row (the circuit breaker); 0 after a success. */
            consecutive_failures: number;
            /**
             * Format: date-time
             * @description When the current run of failures began.
             */
            failing_since: string | null;
            /**
             * Format: date-time
             * @description The breaker is open: nothing is sent to the endpoint until then.
             */
            paused_until: string | null;
            /**
             * Format: date-time
             * @description After a rotation, the replaced secret signs too (a second signature) until then.
             */
            previous_secret_expires_at: string | null;
        };
        WebhookDelivery: {
            /**
             * Format: uuid
             * @description Sent as `webhook-id`; the same on every attempt.
             */
            id: string;
            /** @description The event's sequence number (`id` in the payload). */
            event_id: number;
            /** @enum {string} */
            event_type: "asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled";
            /**
             * Format: uuid
             * @description null for an event of the account (webhook.disabled).
             */
            asset_id: string | null;
            /** @enum {string} */
            state: "pending" | "succeeded" | "failed";
            /** @description Attempts made so far. */
            attempts: number;
            /**
             * Format: date-time
             * @description When the next attempt is due; null once the delivery is finished.
             */
            next_attempt_at: string | null;
            last_status: number | null;
            last_error: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            finished_at: string | null;
            /** @description Every attempt, oldest first. */
            attempt_log: {
                /** Format: date-time */
                attempted_at: string;
                /** @description The receiver's status; null when no response came (refused, timed out, blocked). */
                status: number | null;
                error: string | null;
                duration_ms: number;
                /** @description The first kilobyte of the response. */
                response_body: string | null;
            }[];
        };
        /** @description A webhook endpoint that failed every attempt for WEBHOOK_DISABLE_AFTER_SECONDS (3 days) was disabled: its pending deliveries failed and it gets no new ones until `POST /v1/webhooks/{id}/enable`. An event of the account, not of an asset: asset_id is null. data.webhook_id, data.failing_since, data.failures (attempts failed in a row). */
        WebhookDisabledEvent: {
            /** @description The sequence number: increasing, in commit order, per deployment. */
            id: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "webhook.disabled";
            /** @description An event of the account, not of an asset. */
            asset_id: null;
            /** Format: date-time */
            created_at: string;
            data: {
                /** Format: uuid */
                webhook_id: string;
                /** Format: date-time */
                failing_since: string;
                /** @description Attempts failed in a row. */
                failures: number;
            };
        };
        /** @description The body of a webhook delivery (Standard Webhooks): the event, with its type and time repeated outside it. */
        WebhookEvent: {
            /** @enum {string} */
            type: "asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled";
            /**
             * Format: date-time
             * @description The event’s created_at.
             */
            timestamp: string;
            data: components["schemas"]["Event"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status?: string;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlayerModule: {
        parameters: {
            query?: {
                v?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The module. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/javascript": string;
                };
            };
            /** @description Not modified */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlayerPage: {
        parameters: {
            query?: {
                /** @description Prefer an edge in this region (also the x-kino-region header). */
                region?: string;
                /** @description Start at once (browsers allow it muted). */
                autoplay?: boolean;
                muted?: boolean;
                controls?: boolean;
                /** @description Seconds into the video to start at. */
                start_time?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlayerPlayback: {
        parameters: {
            query?: {
                /** @description Prefer an edge in this region (also the x-kino-region header). */
                region?: string;
                /** @description Hold the answer until the asset is playable (bounded). */
                wait?: "playable";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Playback"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description `degraded`: a dependency the process can serve without is away (200 all the same).
                         * @enum {string}
                         */
                        status: "ok" | "degraded" | "unavailable";
                        checks: {
                            [key: string]: "ok" | "unavailable";
                        };
                        /** @description Why each failed check failed; only with the internal token. */
                        details?: {
                            [key: string]: string;
                        };
                    };
                };
            };
            /** @description Answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description `degraded`: a dependency the process can serve without is away (200 all the same).
                         * @enum {string}
                         */
                        status: "ok" | "degraded" | "unavailable";
                        checks: {
                            [key: string]: "ok" | "unavailable";
                        };
                        /** @description Why each failed check failed; only with the internal token. */
                        details?: {
                            [key: string]: string;
                        };
                    };
                };
            };
        };
    };
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        plan: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description The plan’s limits with this account’s own exceptions. */
                        limits: {
                            uploads_per_minute: number;
                            reads_per_minute: number;
                            writes_per_minute: number;
                            playback_per_minute: number;
                            events_per_minute: number;
                            stored_bytes: number;
                            concurrent_uploads: number;
                            active_jobs: number;
                            user_jobs: number;
                            webhooks: number;
                            api_keys: number;
                        };
                        /** @description What the account holds now, against its quotas. */
                        usage: {
                            stored_bytes: number;
                            concurrent_uploads: number;
                            active_jobs: number;
                            user_jobs: number;
                            webhooks: number;
                            api_keys: number;
                        };
                        /** @description The route classes rate limits are counted by. */
                        rate_classes: string[];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlaybackAnalytics: {
        parameters: {
            query?: {
                /** @description RFC 3339, inclusive. Default: a day before `to`; with interval=minute, the 1,440 whole minutes up to `to`. */
                from?: string;
                /** @description RFC 3339, exclusive. Default: now. */
                to?: string;
                group_by?: "asset" | "region" | "edge" | "cache_status" | "status_code" | "artifact_kind";
                interval?: "minute" | "hour" | "day";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The window answered. */
                        window?: {
                            /** Format: date-time */
                            from?: string;
                            /** Format: date-time */
                            to?: string;
                        };
                        group_by?: string | null;
                        interval?: string | null;
                        totals?: {
                            requests?: number;
                            bytes?: number;
                            /** @description HIT / (HIT + MISS + COALESCED); null when nothing reached the cache. */
                            hit_ratio?: number | null;
                            hits?: number;
                            misses?: number;
                            coalesced?: number;
                        };
                        /** @description Every bucket of the window, oldest first, zero where nothing was served. */
                        series?: {
                            /** Format: date-time */
                            t?: string;
                            requests?: number;
                            bytes?: number;
                        }[];
                        /** @description Busiest first. */
                        groups?: {
                            key?: string;
                            requests?: number;
                            bytes?: number;
                            /** @description HIT / (HIT + MISS + COALESCED); null when nothing reached the cache. */
                            hit_ratio?: number | null;
                            /** @description Every bucket of the window, oldest first, zero where nothing was served. */
                            series?: {
                                /** Format: date-time */
                                t?: string;
                                requests?: number;
                                bytes?: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    analyzeQuality: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An asset id of this account (its source is read) or an https/http URL, fetched like a URL import (through the SSRF guard). */
                    reference: string;
                    /** @description An asset id of this account (its source is read) or an https/http URL, fetched like a URL import (through the SSRF guard). */
                    distorted: string;
                    /** @description vmaf only where the worker’s ffmpeg has libvmaf (else 422 METRIC_UNAVAILABLE). */
                    metrics: ("psnr" | "ssim" | "vmaf")[];
                };
            };
        };
        responses: {
            /** @description A job of the jobs API. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: IDEMPOTENCY_KEY_REUSED, INVALID_COMMAND, INVALID_OPTIONS, INVALID_INPUT, METRIC_UNAVAILABLE, PRESET_NOT_SUPPORTED_FOR_UPLOADS, ESTIMATE_SOURCE_UNSUPPORTED. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAssets: {
        parameters: {
            query?: {
                /** @description Rows per page: 25 by default, or as many as the page the cursor came from. */
                limit?: number;
                /** @description next_cursor of the previous page. It keeps the filters of the first page: send it alone, or with the same filters. */
                cursor?: string;
                source_state?: "uploading" | "awaiting_upload" | "importing" | "uploaded" | "failed";
                /** @description As the assets read: a deleted asset matches only `deleted`. */
                playable_state?: "not_playable" | "opener_ready" | "hls_ready" | "deleted";
                /** @description List deleted assets too (playable_state `deleted`). Default false. */
                include_deleted?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Asset"][];
                        /** @description Pass it back as `cursor` for the next page; null on the last one. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Tokens minted by the public player before a change to `signed` stay valid until they expire (PLAYER_TOKEN_TTL_SECONDS, minutes).
                     * @enum {string}
                     */
                    playback_policy?: "signed" | "public";
                    title?: string | null;
                    passthrough?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAssetPlaybackAnalytics: {
        parameters: {
            query?: {
                /** @description RFC 3339, inclusive. Default: a day before `to`. */
                from?: string;
                /** @description RFC 3339, exclusive. Default: now. */
                to?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        asset_id?: string;
                        /** @description The window answered. */
                        window?: {
                            /** Format: date-time */
                            from?: string;
                            /** Format: date-time */
                            to?: string;
                        };
                        requests?: number;
                        bytes?: number;
                        /** @description HIT / (HIT + MISS + COALESCED); null when nothing reached the cache. */
                        hit_ratio?: number | null;
                        /** @description Requests by cache outcome: HIT, MISS, COALESCED, NONE (refused before the cache). */
                        cache_status?: {
                            [key: string]: number;
                        };
                        /** @description Requests by HTTP status. */
                        status_codes?: {
                            [key: string]: number;
                        };
                        /** @description Requests by artifact: opener, thumbnail, storyboard, image, playlist, init, segment. */
                        artifact_kinds?: {
                            [key: string]: number;
                        };
                        /** Format: date-time */
                        first_seen?: string | null;
                        /** Format: date-time */
                        last_seen?: string | null;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAssetQoe: {
        parameters: {
            query?: {
                /** @description RFC 3339, inclusive. Default: a day before `to`. */
                from?: string;
                /** @description RFC 3339, exclusive. Default: now. */
                to?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        asset_id?: string;
                        /** @description The window answered. */
                        window?: {
                            /** Format: date-time */
                            from?: string;
                            /** Format: date-time */
                            to?: string;
                        };
                        /** @description Distinct views that sent a beacon. */
                        views?: number;
                        /** @description Time from the play request to the first frame. */
                        startup_ms?: {
                            p50?: number | null;
                            p95?: number | null;
                        };
                        /** @description Stalled time over stalled plus played time. */
                        rebuffer_ratio?: number | null;
                        /** @description Views that reported an error, over views. */
                        error_rate?: number | null;
                        rebuffer_ms?: number;
                        watched_ms?: number;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createClip: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Seconds into the asset where the clip starts. */
                    start: number;
                    /** @description Seconds into the asset where the clip ends (exclusive); at least 0.5 s after start. */
                    end: number;
                    title?: string;
                };
            };
        };
        responses: {
            /** @description The clip was created; its cut is queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAssetEvents: {
        parameters: {
            query?: {
                after_sequence?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Event"][];
                        next_after_sequence: number;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlayback: {
        parameters: {
            query?: {
                /** @description Prefer an edge in this region (also the x-kino-region header). */
                region?: string;
                /** @description Lifetime of the signed URLs; capped by configuration. */
                ttl_seconds?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Playback"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createStaticRenditions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description `highest`: an MP4 of the top rung (H.264/AAC, faststart). `audio`: an M4A of the audio (AAC). */
                    renditions: ("highest" | "audio")[];
                };
            };
        };
        responses: {
            /** @description Every rendition asked for was asked for before: the asset as it is. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description New renditions were asked for: they are `preparing`. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Output container formats (ffmpeg muxers) of the workers’ ffmpeg that a command may name with -f. */
                        containers: string[];
                        /** @description Video encoders of the workers’ ffmpeg that a command may name (libx264, libx265, libsvtav1, libvpx-vp9, …). */
                        video_codecs: string[];
                        /** @description Audio encoders of the workers’ ffmpeg that a command may name (aac, libopus, libmp3lame, …). */
                        audio_codecs: string[];
                        /** @description Filters a job’s command may use: those of the workers’ ffmpeg that the command allowlist admits. */
                        filters: string[];
                        /** @description Typed operations of POST /v1/jobs. */
                        operations: string[];
                        /** @description Quality metrics POST /v1/analyze can measure here (vmaf only with libvmaf and its model). */
                        metrics: string[];
                        /** @description Whether every live worker’s ffmpeg has libvmaf and its model. */
                        vmaf: boolean;
                        limits: {
                            /** @description MAX_UPLOAD_BYTES: the largest source an upload may send. */
                            max_upload_bytes: number;
                            /** @description FFMPEG_TIMEOUT_SECONDS: one ffmpeg run of a media job is stopped after this. */
                            processing_timeout_seconds: number;
                            /** @description Outputs one job of POST /v1/jobs may write. */
                            job_max_outputs: number;
                            /** @description JOBS_MAX_OUTPUT_BYTES: the largest output of a job. */
                            job_max_output_bytes: number;
                            /** @description JOBS_MAX_TOTAL_OUTPUT_BYTES: all outputs of a job together. */
                            job_max_total_output_bytes: number;
                            /** @description JOBS_MAX_OUTPUT_SECONDS: the longest output of a job. */
                            job_max_output_seconds: number;
                            /** @description JOBS_TIMEOUT_SECONDS: a job’s ffmpeg run is killed after this. */
                            job_timeout_seconds: number;
                            /** @description JOBS_MAX_INPUT_BYTES: the largest input fetched from a URL. */
                            job_max_input_bytes: number;
                            /** @description Largest width or height of an on-demand image. */
                            image_max_dimension: number;
                            /** @description Longest on-demand animation. */
                            animated_max_seconds: number;
                            /** @description Highest frame rate of an on-demand animation. */
                            animated_max_fps: number;
                        };
                        ffmpeg: {
                            /** @description The workers’ ffmpeg versions, comma-separated when they differ. */
                            version: string;
                            /** @description Live workers the lists are the intersection of; 0 when stale. */
                            workers: number;
                            /** @description True when no worker is alive: the lists are the most recent report of one that was. */
                            stale: boolean;
                            /**
                             * Format: date-time
                             * @description When that report was taken; null when no worker ever reported.
                             */
                            probed_at: string | null;
                        };
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createEstimate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    source: {
                        /** @description Seconds. */
                        duration: number;
                        /** @description Display width. */
                        width: number;
                        /** @description Display height. */
                        height: number;
                        fps?: number;
                        /** @description The source's video codec (informational). */
                        codec?: string;
                    } | {
                        /** Format: uuid */
                        asset_id: string;
                    } | {
                        url: string;
                    };
                    /** @description Default: `default`. */
                    preset?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        processing_seconds: number;
                        outputs: {
                            name: string;
                            bytes: number;
                        }[];
                        basis: {
                            measured: boolean;
                            preset: string;
                            duration_seconds: number;
                            speeds: {
                                /** @enum {string} */
                                codec: "h264" | "h265" | "av1" | "aac";
                                /** @description The output short side; 0 for audio. */
                                height: number;
                                /** @description Media seconds encoded per wall second. */
                                speed: number;
                                measured: boolean;
                                samples: number;
                            }[];
                        };
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: IDEMPOTENCY_KEY_REUSED, INVALID_COMMAND, INVALID_OPTIONS, INVALID_INPUT, METRIC_UNAVAILABLE, PRESET_NOT_SUPPORTED_FOR_UPLOADS, ESTIMATE_SOURCE_UNSUPPORTED. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description Only this asset's events (a 404 if it is not the account's). */
                asset_id?: string;
                after_sequence?: number;
            };
            header?: {
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless stream of Events: `id:` the sequence, `event:` the type, `data:` the Event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description Rows per page: 25 by default, or as many as the page the cursor came from. */
                limit?: number;
                /** @description next_cursor of the previous page. It keeps the filters of the first page: send it alone, or with the same filters. */
                cursor?: string;
                state?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Job"][];
                        /** @description Pass it back as `cursor` for the next page; null on the last one. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createJob: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description A typed operation; or give ffmpeg_args instead.
                     * @enum {string}
                     */
                    operation?: "convert" | "trim" | "extract_audio" | "thumbnail" | "gif" | "concat" | "watermark";
                    /** @description Typed: the inputs in order (concat: 2–5; watermark: the video, then the image). */
                    inputs?: string[];
                    /** @description The operation’s options: each field says which operations take it. */
                    options?: {
                        /**
                         * @description convert: the output container.
                         * @enum {string}
                         */
                        container?: "mp4" | "webm" | "mkv" | "mov" | "m4a" | "mp3";
                        /**
                         * @description convert: h264, h265, av1 (SVT-AV1) or vp9; the container’s default when unset.
                         * @enum {string}
                         */
                        video_codec?: "h264" | "h265" | "av1" | "vp9";
                        /**
                         * @description convert: the container’s default when unset.
                         * @enum {string}
                         */
                        audio_codec?: "aac" | "opus" | "mp3";
                        /** @description convert, thumbnail, gif (≤ 1920), watermark (the mark’s width). */
                        width?: number;
                        /** @description convert. */
                        height?: number;
                        /** @description convert: a target bitrate instead of crf. */
                        video_bitrate_kbps?: number;
                        /** @description convert: constant quality. */
                        crf?: number;
                        /** @description convert. */
                        audio_bitrate_kbps?: number;
                        /** @description trim, gif. */
                        start?: number;
                        /** @description trim, gif: after start (a gif lasts at most 30 s). */
                        end?: number;
                        /** @description thumbnail: where the frame is taken. */
                        time?: number;
                        /**
                         * @description extract_audio: aac (m4a) by default.
                         * @enum {string}
                         */
                        codec?: "aac" | "mp3" | "opus" | "flac" | "wav";
                        /** @description extract_audio, lossy codecs. */
                        bitrate_kbps?: number;
                        /**
                         * @description thumbnail: jpg by default.
                         * @enum {string}
                         */
                        format?: "jpg" | "png" | "webp";
                        /** @description gif: 10 by default. */
                        fps?: number;
                        /**
                         * @description watermark: bottom-right by default.
                         * @enum {string}
                         */
                        position?: "top-left" | "top-right" | "bottom-left" | "bottom-right" | "center";
                        /** @description watermark: pixels from the edges. */
                        margin?: number;
                        /** @description watermark. */
                        opacity?: number;
                    };
                    /** @description convert: a preset (GET /v1/presets) for the codec, size, quality and audio; options given win. Crop presets are not made by jobs yet. */
                    preset?: string;
                    /** @description convert: PSNR and SSIM of the output against its input, in `metrics`. */
                    enable_metrics?: boolean;
                    /** @description Command mode: ffmpeg arguments with `{{in_name}}` after each `-i` and `{{out_name}}` for each output, checked against an allowlist of options and filters (see the README). */
                    ffmpeg_args?: string;
                    /** @description Command mode: `in_name` → asset id or URL. */
                    input_files?: {
                        [key: string]: string;
                    };
                    /** @description Command mode: `out_name` → file name (at most 5). */
                    output_files?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description A job of the jobs API. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: IDEMPOTENCY_KEY_REUSED, INVALID_COMMAND, INVALID_OPTIONS, INVALID_INPUT, METRIC_UNAVAILABLE, PRESET_NOT_SUPPORTED_FOR_UPLOADS, ESTIMATE_SOURCE_UNSUPPORTED. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job of the jobs API. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job of the jobs API. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteJobOutputs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job of the jobs API. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    downloadJobOutput: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file, as an attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @description Default ["full"]. */
                    scopes?: ("full" | "upload" | "read" | "playback")[];
                    /**
                     * Format: date-time
                     * @description After this instant the key is refused (401 API_KEY_EXPIRED).
                     */
                    expires_at?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        /** @description The first characters of the key: enough to recognise it, useless to anyone else. */
                        prefix: string;
                        scopes: ("full" | "upload" | "read" | "playback")[];
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        expires_at: string | null;
                        /**
                         * Format: date-time
                         * @description Recorded at most once a minute.
                         */
                        last_used_at: string | null;
                        /** @description The key. Store it now: only its hash is kept. */
                        key: string;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPresets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Preset"][];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lower case letters, digits, `_` and `-`; up to 40. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lower case letters, digits, `_` and `-`; up to 40. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    video?: {
                        /**
                         * @description The video codec of every rung: H.264, H.265 (hvc1) or AV1 (SVT-AV1).
                         * @enum {string}
                         */
                        codec: "h264" | "h265" | "av1";
                        /** @description The top rung's short side (never upscaled: a smaller source tops out at its own). */
                        max_height: number;
                        /**
                         * @description `high`: bitrates × 1.5 and a slower encoder preset.
                         * @enum {string}
                         */
                        quality: "standard" | "high";
                        /**
                         * @description A centre crop to this aspect before scaling; null for none.
                         * @enum {string|null}
                         */
                        crop: "9:16" | "1:1" | null;
                    } | null;
                    audio?: {
                        /** @enum {string} */
                        codec: "aac";
                        bitrate_kbps: number;
                    };
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lower case letters, digits, `_` and `-`; up to 40. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updatePreset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lower case letters, digits, `_` and `-`; up to 40. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    video?: {
                        /**
                         * @description The video codec of every rung: H.264, H.265 (hvc1) or AV1 (SVT-AV1).
                         * @enum {string}
                         */
                        codec?: "h264" | "h265" | "av1";
                        /** @description The top rung's short side (never upscaled: a smaller source tops out at its own). */
                        max_height?: number;
                        /**
                         * @description `high`: bitrates × 1.5 and a slower encoder preset.
                         * @enum {string}
                         */
                        quality?: "standard" | "high";
                        /**
                         * @description A centre crop to this aspect before scaling; null for none.
                         * @enum {string|null}
                         */
                        crop?: "9:16" | "1:1" | null;
                    } | null;
                    audio?: {
                        /** @enum {string} */
                        codec: "aac";
                        bitrate_kbps: number;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description When the queue was read: an api process answers from one reading for ADMISSION_CACHE_MS (1 s by default).
                         */
                        as_of: string;
                        queue: {
                            queued: number;
                            running: number;
                            by_kind: {
                                import_source: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                cut_clip: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                process_source: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                encode_ladder: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                encode_static: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                purge_asset: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                                run_job: {
                                    queued: number;
                                    running: number;
                                    /** @description Mean duration of its last 20 successful attempts; null before the first. */
                                    typical_seconds: number | null;
                                };
                            };
                        };
                        workers: {
                            /** @description Workers heard from in the last 15 s. */
                            alive: number;
                            /** @description Jobs the live workers run at once, per lane. */
                            slots: {
                                /** @description First jobs (URL imports, clips' cuts; probe, playlists, opener), and purges. */
                                process_source: number;
                                /** @description Ladders and static renditions. */
                                encode_ladder: number;
                            };
                        };
                        /** @description What a new upload would see, from the queue and recent job durations. */
                        estimate: {
                            /** @description How long a new upload's first job would wait for a worker; null when unknown (no job has succeeded yet). */
                            wait_seconds: number | null;
                            /** @description From that job's queuing to the asset's hls_ready; null when unknown. */
                            hls_ready_seconds: number | null;
                            /**
                             * Format: date-time
                             * @description When an upload queued now should reach hls_ready; null when unknown.
                             */
                            estimated_ready_at: string | null;
                            /** @description The slots the estimate counts on: the live ones, or the configured ones for a lane no live worker serves. */
                            slots: {
                                /** @description First jobs (URL imports, clips' cuts; probe, playlists, opener), and purges. */
                                process_source: number;
                                /** @description Ladders and static renditions. */
                                encode_ladder: number;
                            };
                            /** @description True when no live worker serves a lane: the queue is not moving, and the estimate is for when workers are back. */
                            assumes_configured_workers: boolean;
                        };
                        admission: {
                            /** @description False while new uploads are refused with 503 OVERLOADED. */
                            accepting: boolean;
                            /** @description ADMISSION_MAX_WAIT_SECONDS: uploads are refused while wait_seconds is over it. */
                            max_wait_seconds: number;
                            /** @description While refusing: the Retry-After a refused upload gets. */
                            retry_after_seconds: number | null;
                        };
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The file's media type, stored with it: video/*, audio/* or application/octet-stream. */
                    content_type: string;
                    /** @description The file's size. Above UPLOAD_SINGLE_PUT_MAX_BYTES the upload is multipart; completing with another size is refused. */
                    bytes?: number;
                    title?: string;
                    /** @description Free text returned with the asset, for your own reference. */
                    passthrough?: string;
                    /**
                     * @default signed
                     * @enum {string}
                     */
                    playback_policy?: "signed" | "public";
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        asset: components["schemas"]["Asset"];
                        upload: {
                            /** @enum {string} */
                            method: "PUT";
                            /** @description A single PUT: send the whole file here (it is part 1 of a multipart upload, and dies with it). */
                            url?: string;
                            /** @description A multipart upload: every part but the last has exactly this many bytes. */
                            part_bytes?: number;
                            /** @description PUT bytes [(part-1)×part_bytes, part×part_bytes) to each URL. */
                            parts?: {
                                part: number;
                                url: string;
                            }[];
                            /**
                             * Format: date-time
                             * @description The URLs stop working, and an upload not completed is given up.
                             */
                            expires_at: string;
                            /** @description POST here once the bytes are sent. */
                            complete_url: string;
                        };
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTusUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0` (412 TUS_VERSION_UNSUPPORTED otherwise). */
                "tus-resumable"?: string;
                /** @description The size of the whole file in bytes: at least 1, at most MAX_UPLOAD_BYTES (no deferred length) */
                "upload-length": string;
                /** @description Comma-separated `key base64(value)`: title, passthrough, filetype, playback_policy (filetype: a video/*, audio/* or application/octet-stream type). */
                "upload-metadata"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description creation-with-upload: the first bytes of the file may come with the creation. */
        requestBody?: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description The upload was created. */
            201: {
                headers: {
                    /** @description The upload URL (relative): PATCH the bytes there. */
                    Location?: string;
                    /** @description The id of the asset this upload makes (it exists from the upload’s creation on). */
                    "Kino-Asset-Id"?: string;
                    /** @description When the unfinished upload expires (HTTP date); the asset then fails with UPLOAD_EXPIRED. */
                    "Upload-Expires"?: string;
                    /** @description With creation-with-upload: the bytes stored so far. */
                    "Upload-Offset"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TUS_VERSION_UNSUPPORTED: no `Tus-Resumable: 1.0.0`. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: over MAX_UPLOAD_BYTES, or past the Upload-Length. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_MEDIA once the whole file is in (the asset fails, nothing is kept), or UNSUPPORTED_CONTENT_TYPE. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TUS_EXTENSION_UNSUPPORTED: concatenation or a deferred length. */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description OVERLOADED: the queue is too long for a new upload now; see Retry-After. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTusOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tus capabilities, in headers. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    terminateTusUpload: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: `1.0.0` (412 TUS_VERSION_UNSUPPORTED otherwise). */
                "tus-resumable"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload is gone. */
            204: {
                headers: {
                    /** @description The id of the asset this upload makes (it exists from the upload’s creation on). */
                    "Kino-Asset-Id"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no upload of this account in progress here (another account’s upload included). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UPLOAD_EXPIRED: the upload was not finished in time. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TUS_VERSION_UNSUPPORTED: no `Tus-Resumable: 1.0.0`. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTusUploadOptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tus capabilities, in headers. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTusUploadOffset: {
        parameters: {
            query?: never;
            header?: {
                /** @description The tus version: `1.0.0` (412 TUS_VERSION_UNSUPPORTED otherwise). */
                "tus-resumable"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The upload’s state, in headers. */
            200: {
                headers: {
                    /** @description The bytes stored so far: resume from here. */
                    "Upload-Offset"?: string;
                    /** @description The size of the whole file. */
                    "Upload-Length"?: string;
                    /** @description The metadata it was created with. */
                    "Upload-Metadata"?: string;
                    /** @description The id of the asset this upload makes (it exists from the upload’s creation on). */
                    "Kino-Asset-Id"?: string;
                    /** @description When the unfinished upload expires (HTTP date); the asset then fails with UPLOAD_EXPIRED. */
                    "Upload-Expires"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no upload of this account in progress here (another account’s upload included). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UPLOAD_EXPIRED: the upload was not finished in time. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TUS_VERSION_UNSUPPORTED: no `Tus-Resumable: 1.0.0`. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: over MAX_UPLOAD_BYTES, or past the Upload-Length. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_MEDIA once the whole file is in (the asset fails, nothing is kept), or UNSUPPORTED_CONTENT_TYPE. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    appendTusUpload: {
        parameters: {
            query?: never;
            header: {
                /** @description The tus version: `1.0.0` (412 TUS_VERSION_UNSUPPORTED otherwise). */
                "tus-resumable"?: string;
                /** @description Where these bytes start: the offset HEAD answered (409 UPLOAD_OFFSET_MISMATCH otherwise) */
                "upload-offset": string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/offset+octet-stream": string;
            };
        };
        responses: {
            /** @description The bytes are stored. */
            204: {
                headers: {
                    /** @description The bytes stored so far. */
                    "Upload-Offset"?: string;
                    /** @description The id of the asset this upload makes (it exists from the upload’s creation on). */
                    "Kino-Asset-Id"?: string;
                    /** @description When the unfinished upload expires (HTTP date); the asset then fails with UPLOAD_EXPIRED. */
                    "Upload-Expires"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_FOUND: no upload of this account in progress here (another account’s upload included). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UPLOAD_OFFSET_MISMATCH (Upload-Offset is not where the upload stands) or UPLOAD_INTERRUPTED. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UPLOAD_EXPIRED: the upload was not finished in time. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description TUS_VERSION_UNSUPPORTED: no `Tus-Resumable: 1.0.0`. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: over MAX_UPLOAD_BYTES, or past the Upload-Length. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description NOT_MEDIA once the whole file is in (the asset fails, nothing is kept), or UNSUPPORTED_CONTENT_TYPE. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    completeUpload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Optional: the parts to join, each with the ETag its PUT answered (checked against storage). Without it, every part storage holds is joined. */
                    parts?: {
                        part: number;
                        etag: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UPLOAD_EXPIRED, ASSET_DELETED. */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUsage: {
        parameters: {
            query?: {
                /** @description RFC 3339, inclusive. Default: a day before `to`. */
                from?: string;
                /** @description RFC 3339, exclusive. Default: now. */
                to?: string;
                interval?: "hour" | "day";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        window: {
                            /** Format: date-time */
                            from: string;
                            /** Format: date-time */
                            to: string;
                        };
                        /** @enum {string} */
                        interval: "hour" | "day";
                        totals: {
                            /** @description Source durations (minutes) of the assets created in the bucket. */
                            minutes_ingested: number;
                            /** @description Minutes encoded per codec family (h264, aac, …): each ladder rendition made counts its asset’s duration, each static rendition and each output a job (POST /v1/jobs) keeps its own duration (by its video codec, else its audio codec). */
                            minutes_encoded: {
                                [key: string]: number;
                            };
                            /** @description The same minutes per preset: the asset’s preset for its renditions, a convert job’s preset; `none` without one. */
                            minutes_encoded_by_preset: {
                                [key: string]: number;
                            };
                            /** @description Σ bytes × hours stored in the bucket: sources and artifacts, from when they were stored until their asset was deleted, and the outputs jobs keep, from when the job finished. */
                            storage_byte_hours: number;
                            /** @description Bytes the edges served (as GET /v1/analytics/playback counts them). */
                            delivered_bytes: number;
                            /** @description Requests the edges answered, refusals included (as GET /v1/analytics/playback). */
                            delivered_requests: number;
                        };
                        /** @description Every bucket of the window, oldest first. */
                        series: {
                            /** Format: date-time */
                            t: string;
                            /** @description Source durations (minutes) of the assets created in the bucket. */
                            minutes_ingested: number;
                            /** @description Minutes encoded per codec family (h264, aac, …): each ladder rendition made counts its asset’s duration, each static rendition and each output a job (POST /v1/jobs) keeps its own duration (by its video codec, else its audio codec). */
                            minutes_encoded: {
                                [key: string]: number;
                            };
                            /** @description The same minutes per preset: the asset’s preset for its renditions, a convert job’s preset; `none` without one. */
                            minutes_encoded_by_preset: {
                                [key: string]: number;
                            };
                            /** @description Σ bytes × hours stored in the bucket: sources and artifacts, from when they were stored until their asset was deleted, and the outputs jobs keep, from when the job finished. */
                            storage_byte_hours: number;
                            /** @description Bytes the edges served (as GET /v1/analytics/playback counts them). */
                            delivered_bytes: number;
                            /** @description Requests the edges answered, refusals included (as GET /v1/analytics/playback). */
                            delivered_requests: number;
                        }[];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createVideo: {
        parameters: {
            query?: {
                title?: string;
                /** @description Free text returned with the asset, for your own reference. */
                passthrough?: string;
                /** @description `signed`: playback URLs only from authenticated calls. `public`: anyone with the id may also watch it at /player/{id}. */
                playback_policy?: "signed" | "public";
                /** @description Encode to this preset (GET /v1/presets) instead of the default ladder; snapshotted on the asset. Unknown: 400 UNKNOWN_PRESET; one uploads cannot use yet (H.265, AV1): 422 PRESET_NOT_SUPPORTED_FOR_UPLOADS. */
                preset?: string;
                /** @description Hold the response until the opener is ready (or timeout_seconds pass) and include a playback block, and `wait` saying whether it timed out. */
                wait?: "playable";
                /** @description How long wait=playable may hold; capped by configuration. Only with wait=playable. */
                timeout_seconds?: number;
                /** @description Static renditions (downloads) to make once the source is in: `highest` (MP4), `audio` (M4A), comma-separated. */
                static_renditions?: string;
                /** @description Prefer an edge in this region (also the x-kino-region header). */
                region?: string;
                /** @description Lifetime of the signed URLs; capped by configuration. */
                ttl_seconds?: number;
            };
            header?: {
                /** @description Repeat a request safely: the same key returns the same asset. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The http(s) URL to fetch the video from, at most 4096 characters (a presigned URL works). Fetched by a worker through the SSRF guard; never shown again, in the asset or anywhere else. */
                    url: string;
                    title?: string;
                    /** @description Free text returned with the asset, for your own reference. */
                    passthrough?: string;
                    /**
                     * @description `signed`: playback URLs only from authenticated calls. `public`: anyone with the id may also watch it at /player/{id}.
                     * @default signed
                     * @enum {string}
                     */
                    playback_policy?: "signed" | "public";
                    /** @description Encode to this preset (GET /v1/presets) instead of the default ladder; snapshotted on the asset. Unknown: 400 UNKNOWN_PRESET; one uploads cannot use yet (H.265, AV1): 422 PRESET_NOT_SUPPORTED_FOR_UPLOADS. */
                    preset?: string;
                    /** @description `highest`: an MP4 of the top rung (H.264/AAC, faststart). `audio`: an M4A of the audio (AAC). */
                    static_renditions?: ("highest" | "audio")[];
                };
                "video/*": string;
                "audio/*": string;
                "application/octet-stream": string;
                "multipart/form-data": {
                    title?: string;
                    passthrough?: string;
                    /** @enum {string} */
                    playback_policy?: "signed" | "public";
                    /** Format: binary */
                    file: string;
                };
            };
        };
        responses: {
            /** @description An earlier request with the same Idempotency-Key created this asset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description The asset was created. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description A URL import was queued: the asset is `importing` until its source is fetched. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Asset"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: IDEMPOTENCY_KEY_REUSED, INVALID_COMMAND, INVALID_OPTIONS, INVALID_INPUT, METRIC_UNAVAILABLE, PRESET_NOT_SUPPORTED_FOR_UPLOADS, ESTIMATE_SOURCE_UNSUPPORTED. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ANALYTICS_UNAVAILABLE, OVERLOADED, NO_EDGE_AVAILABLE, SEGMENT_NOT_READY, TOO_MANY_FILLS, TOO_MANY_FILLS_FOR_TOKEN, TOO_MANY_FILLS_FOR_ASSET, SHUTTING_DOWN. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["Webhook"][];
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An http or https URL. */
                    url: string;
                    /** @description Only these event types; omit for all of them. */
                    event_types?: ("asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled")[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        url: string;
                        /** @description The event types sent to this endpoint; null for all of them. */
                        event_types: ("asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled")[] | null;
                        description: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** @description False once disabled for failing too long; `POST /v1/webhooks/{id}/enable` enables it. */
                        enabled: boolean;
                        /** Format: date-time */
                        disabled_at: string | null;
                        /** @description Attempts failed in a row (the circuit breaker); 0 after a success. */
                        consecutive_failures: number;
                        /**
                         * Format: date-time
                         * @description When the current run of failures began.
                         */
                        failing_since: string | null;
                        /**
                         * Format: date-time
                         * @description The breaker is open: nothing is sent to the endpoint until then.
                         */
                        paused_until: string | null;
                        /**
                         * Format: date-time
                         * @description After a rotation, the replaced secret signs too (a second signature) until then.
                         */
                        previous_secret_expires_at: string | null;
                        /** @description `whsec_` + base64 of the HMAC key. Store it now: it is never shown again. */
                        secret: string;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Rows per page: 25 by default, or as many as the page the cursor came from. */
                limit?: number;
                /** @description next_cursor of the previous page. It keeps the filters of the first page: send it alone, or with the same filters. */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: components["schemas"]["WebhookDelivery"][];
                        /** @description Pass it back as `cursor` for the next page; null on the last one. */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    redeliverWebhookDelivery: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: JOB_FINISHED, JOB_NOT_FINISHED, IDEMPOTENCY_KEY_IN_USE, UPLOAD_INCOMPLETE, ASSET_NOT_READY, ASSET_FAILED, NOT_A_DIRECT_UPLOAD, UPLOAD_OFFSET_MISMATCH, UPLOAD_INTERRUPTED, ASSET_DELETED, WEBHOOK_DISABLED, DELIVERY_IN_FLIGHT, PRESET_BUILTIN, PRESET_EXISTS, TOO_MANY_PRESETS. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    enableWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description How long the old secret keeps signing: a day by default, at most a week; 0 drops it at once.
                     * @default 86400
                     */
                    overlap_seconds?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        url: string;
                        /** @description The event types sent to this endpoint; null for all of them. */
                        event_types: ("asset.created" | "asset.source_uploaded" | "job.queued" | "job.started" | "job.progress" | "job.succeeded" | "job.failed" | "job.cancelled" | "asset.playlists_ready" | "asset.opener_ready" | "asset.thumbnail_ready" | "asset.storyboard_ready" | "asset.rendition_ready" | "asset.hls_ready" | "asset.edges_warmed" | "asset.errored" | "asset.static_rendition_ready" | "asset.static_rendition_errored" | "asset.deleted" | "asset.purged" | "webhook.disabled")[] | null;
                        description: string | null;
                        /** Format: date-time */
                        created_at: string;
                        /** @description False once disabled for failing too long; `POST /v1/webhooks/{id}/enable` enables it. */
                        enabled: boolean;
                        /** Format: date-time */
                        disabled_at: string | null;
                        /** @description Attempts failed in a row (the circuit breaker); 0 after a success. */
                        consecutive_failures: number;
                        /**
                         * Format: date-time
                         * @description When the current run of failures began.
                         */
                        failing_since: string | null;
                        /**
                         * Format: date-time
                         * @description The breaker is open: nothing is sent to the endpoint until then.
                         */
                        paused_until: string | null;
                        /**
                         * Format: date-time
                         * @description After a rotation, the replaced secret signs too (a second signature) until then.
                         */
                        previous_secret_expires_at: string | null;
                        /** @description `whsec_` + base64 of the HMAC key. Store it now: it is never shown again. */
                        secret: string;
                    };
                };
            };
            /** @description Error: VALIDATION_ERROR, INVALID_JSON, EMPTY_BODY, INVALID_CURSOR, INVALID_TIMESTAMP, INVALID_WINDOW, WINDOW_TOO_LARGE, INVALID_WEBHOOK_URL, INVALID_SOURCE_URL, INVALID_CLIP_RANGE, INVALID_PARTS, UNKNOWN_PRESET, BAD_REQUEST, INVALID_PATH, INVALID_IMAGE_PARAMS. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNAUTHORIZED, INVALID_API_KEY, API_KEY_EXPIRED, API_KEY_REVOKED, TOKEN_MISSING, TOKEN_MALFORMED, TOKEN_EXPIRED, TOKEN_NOT_YET_VALID, TOKEN_BAD_SIGNATURE, TOKEN_UNKNOWN_KEY, TOKEN_BAD_ALGORITHM, TOKEN_WRONG_AUDIENCE, TOKEN_MISSING_CLAIMS. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: ACCOUNT_DISABLED, INSUFFICIENT_SCOPE, QUOTA_EXCEEDED, TOKEN_WRONG_ASSET, IMAGE_VARIANT_LIMIT, INVALID_DOWNLOAD_TOKEN. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: NOT_FOUND, ROUTE_NOT_FOUND, ASSET_NOT_PLAYABLE, ARTIFACT_NOT_FOUND, UNPUBLISHED_ARTIFACT, UNKNOWN_ARTIFACT, NOT_IN_PLAN. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: PAYLOAD_TOO_LARGE. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: UNSUPPORTED_CONTENT_TYPE, NOT_MEDIA. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: TOO_MANY_JOBS, RATE_LIMITED, TOO_MANY_STREAMS. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Error: INTERNAL_ERROR. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    assetCreatedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.created";
                    data?: components["schemas"]["AssetCreatedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetDeletedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.deleted";
                    data?: components["schemas"]["AssetDeletedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetEdgesWarmedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.edges_warmed";
                    data?: components["schemas"]["AssetEdgesWarmedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetErroredWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.errored";
                    data?: components["schemas"]["AssetErroredEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetHlsReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.hls_ready";
                    data?: components["schemas"]["AssetHlsReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetOpenerReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.opener_ready";
                    data?: components["schemas"]["AssetOpenerReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetPlaylistsReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.playlists_ready";
                    data?: components["schemas"]["AssetPlaylistsReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetPurgedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.purged";
                    data?: components["schemas"]["AssetPurgedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetRenditionReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.rendition_ready";
                    data?: components["schemas"]["AssetRenditionReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetSourceUploadedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.source_uploaded";
                    data?: components["schemas"]["AssetSourceUploadedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetStaticRenditionErroredWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.static_rendition_errored";
                    data?: components["schemas"]["AssetStaticRenditionErroredEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetStaticRenditionReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.static_rendition_ready";
                    data?: components["schemas"]["AssetStaticRenditionReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetStoryboardReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.storyboard_ready";
                    data?: components["schemas"]["AssetStoryboardReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    assetThumbnailReadyWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "asset.thumbnail_ready";
                    data?: components["schemas"]["AssetThumbnailReadyEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobCancelledWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.cancelled";
                    data?: components["schemas"]["JobCancelledEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobFailedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.failed";
                    data?: components["schemas"]["JobFailedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobProgressWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.progress";
                    data?: components["schemas"]["JobProgressEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobQueuedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.queued";
                    data?: components["schemas"]["JobQueuedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobStartedWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.started";
                    data?: components["schemas"]["JobStartedEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    jobSucceededWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "job.succeeded";
                    data?: components["schemas"]["JobSucceededEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookDisabledWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    type?: "webhook.disabled";
                    data?: components["schemas"]["WebhookDisabledEvent"];
                } & components["schemas"]["WebhookEvent"];
            };
        };
        responses: {
            /** @description Received. */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
