// The jobs API's typed operations. The jobs branch owns this file (it adds each operation's
// command); here only the list, which GET /v1/capabilities reports.

export const OPERATIONS = ['convert', 'trim', 'extract_audio', 'thumbnail', 'gif', 'concat', 'watermark'] as const;
export type Operation = (typeof OPERATIONS)[number];
