import type { paths } from '@hookstream/client';

/** The JSON a GET answers with 200, from the generated schema: one source for the console's types. */
export type GetJson<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer B } } } } } ? B : never;

/** The JSON body a PATCH takes. */
export type PatchBody<P extends keyof paths> = paths[P] extends { patch: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;

/** The JSON a POST answers with 200. */
export type PostJson<P extends keyof paths> = paths[P] extends { post: { responses: { 200: { content: { 'application/json': infer B } } } } } ? B : never;
