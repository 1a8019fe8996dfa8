import { ApiError } from '@kino/http';

/** A refusal of the upload: already in the API's one error shape, so it is answered as it is. */
export class IngestError extends ApiError {}
