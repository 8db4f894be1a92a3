import type { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import type { DashboardEnv } from '../dashboard.js';
import { npsRoutes } from './nps.js';
import { pollsRoutes } from './polls.js';
import { engagementRoutes } from './engagement.js';
import { giveawaysRoutes } from './giveaways.js';
import { challengesRoutes } from './challenges.js';
import { rewardsRoutes } from './rewards.js';
import { exportsRoutes } from './exports.js';
import { apiRoutes } from './api.js';

/** Every section of a community's dashboard, each mounted under /c/<community>/ behind the session gate. */
export const SECTION_ROUTES: ((engine: Engine) => Hono<DashboardEnv>)[] = [
  npsRoutes, pollsRoutes, engagementRoutes, giveawaysRoutes, challengesRoutes, rewardsRoutes, exportsRoutes, apiRoutes,
];
