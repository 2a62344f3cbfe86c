import type { MikroORM } from '@mikro-orm/postgresql';
import { visibilityScope, type ServiceApp } from '@kapocs/kit';

/** R1 dashboard, first figures: companies per department within what the caller may see. */
export function dashboardRoutes(app: ServiceApp, orm: MikroORM) {
  app.get('/dashboard', { schema: { tags: ['dashboard'] } }, async (req) => {
    const em = orm.em.fork();
    const scope = visibilityScope(req.principal);
    if (scope.kind === 'own') {
      const [mine] = await em.execute<{ n: number }[]>(
        `select count(*)::int as n from reporting.company_projection where owner_id = ? and not deleted`, [scope.userId]);
      return { companies: { total: mine?.n ?? 0, byDepartment: [] } };
    }
    const rows = await em.execute<{ department_id: string; companies: number }[]>(
      `select department_id, companies from reporting.department_company_count where companies <> 0 order by department_id`);
    const byDepartment = rows
      .filter((r) => scope.kind === 'all' || scope.departments.includes(r.department_id))
      .map((r) => ({ departmentId: r.department_id || null, companies: r.companies }));
    return { companies: { total: byDepartment.reduce((a, r) => a + r.companies, 0), byDepartment } };
  });
}
