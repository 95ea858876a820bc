/** Pieces every part of the OpenAPI document uses (openapi.ts, openapi-identity.ts). */
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const jsonBody = {
  required: true,
  content: { 'application/json': { schema: { type: 'object' } } },
};
