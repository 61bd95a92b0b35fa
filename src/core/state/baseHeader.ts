import { z } from 'zod';

/** What a base says besides its entries, in the table form and in the JSON form before it. */
export const baseHeaderFields = {
  machineId: z.string(),
  localRoot: z.string(),
  cloudRoot: z.string(),
  syncedAt: z.string(),
  handoffSeen: z.object({ machineId: z.string(), sequence: z.number().refine(Number.isSafeInteger) }).optional(),
  marks: z.record(z.string(), z.object({ name: z.string().nullable().optional(), pinned: z.boolean().optional() }).strict()).optional(),
};
