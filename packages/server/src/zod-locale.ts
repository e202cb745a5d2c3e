import { z } from 'zod';

// Validation messages reach candidates and staff: Simplified Chinese by default.
z.config(z.locales.zhCN());
