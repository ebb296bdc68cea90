import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { secret, secretKeys } from './secret.js';

describe('secret()', () => {
  it('lists secret keys, through optional and default wrappers', () => {
    const schema = z.object({
      baseUrl: z.string(),
      password: secret(z.string()),
      token: secret(z.string()).optional(),
      clientSecret: secret(z.string()).default('x'),
    });
    expect(secretKeys(schema).sort()).toEqual(['clientSecret', 'password', 'token']);
  });
});
