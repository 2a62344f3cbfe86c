import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Roles, type Role } from '@kapocs/contracts';
import {
  Migration, migrate, newOwnedRow, notFound, ormFor, ownedProperties, ownedRecords, ProblemError, type Principal, type ServiceDefinition,
} from '../src';
import { freshDatabase } from '../src/testing';

// A throwaway service with one owned record, so the kit's pieces are tested on real PostgreSQL without any service's code.
const Note = defineEntity({
  name: 'Note',
  tableName: 'note',
  properties: { id: p.uuid().primary(), title: p.string().length(100), ...ownedProperties() },
});
type NoteEntity = InferEntity<typeof Note>;

class NoteTable extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table kitrecords.note (
      id uuid primary key, title varchar(100) not null, owner_id varchar(64) not null, department_id varchar(100),
      version int not null default 1, created_at timestamptz not null, updated_at timestamptz not null, deleted_at timestamptz)`);
  }
}
const kitrecords: ServiceDefinition = { name: 'kitrecords', defaultPort: 0, entities: [Note], migrations: [{ name: 'NoteTable', class: NoteTable }] };

const toDto = (n: NoteEntity) => ({ id: n.id, title: n.title, ownerId: n.ownerId, departmentId: n.departmentId ?? null, version: n.version });
const notes = ownedRecords({
  entity: Note, aggregate: 'note', table: 'kitrecords.note', alias: 'n', notFound: () => notFound('Note', 'https://kapocs.test/problems/note-not-found'),
  events: { created: 'kitrecords.note.created', updated: 'kitrecords.note.updated', deleted: 'kitrecords.note.deleted' },
  audit: { fields: ['title', 'ownerId', 'departmentId'], snapshot: toDto },
  eventData: (n, changed) => ({ ...toDto(n), ...(changed ? { changed } : {}) }),
});

const who = (id: string, roles: Role[], departments: string[] = []): Principal => ({ id, username: id, name: id, roles, departments });
const anna = who('anna', [Roles.sales], ['north']);
const bela = who('bela', [Roles.sales], ['south']);
const csilla = who('csilla', [Roles.manager], ['north']);
const dora = who('dora', [Roles.director]);

let orm: MikroORM;
const em = () => orm.em.fork();

beforeAll(async () => {
  const url = await freshDatabase('kitrecords');
  orm = await ormFor(kitrecords, url, { poolMax: 4 });
  await migrate(orm, 'kitrecords', url);
});
afterAll(async () => { await orm?.close(); });
beforeEach(async () => { await orm.em.fork().execute('truncate kitrecords.note, kitrecords.audit_log, kitrecords.outbox'); });

async function given(title: string, owner: Principal, department = owner.departments[0] ?? null): Promise<NoteEntity> {
  return em().transactional(async (tx) => {
    const note = tx.create(Note, { title, ...newOwnedRow({ ownerId: owner.id, departmentId: department }) });
    await notes.recordCreated(tx, owner, note);
    return note;
  });
}

const statusOf = async (p: Promise<unknown>) => p.then(() => 200, (err: unknown) => (err instanceof ProblemError ? err.status : err));
const outbox = async () => em().execute<{ subject: string; envelope: { data: Record<string, unknown>; scope: unknown; aggregate: unknown } }[]>(
  `select subject, envelope from kitrecords.outbox order by id`);
const audit = async () => em().execute<{ action: string; entity_type: string; changes: unknown }[]>(`select action, entity_type, changes from kitrecords.audit_log order by id`);

describe('findVisible', () => {
  it('answers the record to its owner, their manager and a director, and the 404 problem to anyone else and for an unknown id', async () => {
    const note = await given('North note', anna);
    for (const p of [anna, csilla, dora]) expect((await notes.findVisible(em(), p, note.id)).title).toBe('North note');
    const refused = await notes.findVisible(em(), bela, note.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ProblemError);
    expect((refused as ProblemError).status).toBe(404);
    expect(await statusOf(notes.findVisible(em(), dora, '0190a1b2-0000-7000-8000-000000000000'))).toBe(404);
  });

  it('answers 412 for another version and 404 once the record is deleted', async () => {
    const note = await given('Note', anna);
    expect(await statusOf(notes.findVisible(em(), anna, note.id, { version: 2 }))).toBe(412);
    await em().transactional(async (tx) => notes.softDelete(tx, anna, await notes.findVisible(tx, anna, note.id, { lock: true, version: 1 })));
    expect(await statusOf(notes.findVisible(em(), dora, note.id))).toBe(404);
  });
});

describe('recordCreated, update, softDelete', () => {
  it('write the audit entry and the event scoped to owner and department in the transaction, moving the version', async () => {
    const note = await given('Draft', anna);
    const changes = await em().transactional(async (tx) => notes.update(tx, anna, await notes.findVisible(tx, anna, note.id), { title: 'Final' }));
    expect(changes).toEqual({ title: { from: 'Draft', to: 'Final' } });
    const updated = await notes.findVisible(em(), anna, note.id);
    expect(updated.version).toBe(2);
    await em().transactional(async (tx) => notes.softDelete(tx, anna, await notes.findVisible(tx, anna, note.id)));

    expect((await audit()).map((a) => [a.entity_type, a.action, a.changes])).toEqual([
      ['note', 'created', { title: { from: null, to: 'Draft' }, ownerId: { from: null, to: 'anna' }, departmentId: { from: null, to: 'north' } }],
      ['note', 'updated', { title: { from: 'Draft', to: 'Final' } }],
      ['note', 'deleted', {}],
    ]);
    const events = await outbox();
    expect(events.map((e) => e.subject)).toEqual(['crm.kitrecords.note.created', 'crm.kitrecords.note.updated', 'crm.kitrecords.note.deleted']);
    expect(events.map((e) => e.envelope.scope)).toEqual(Array(3).fill({ ownerId: 'anna', departmentId: 'north' }));
    expect(events[1]!.envelope.data).toMatchObject({ title: 'Final', version: 2, changed: ['title'] });
    expect(events[2]!.envelope.data).toEqual({ id: note.id });
    const [row] = await em().execute<{ version: number; deleted: boolean; same: boolean }[]>(
      `select version, deleted_at is not null as deleted, deleted_at = updated_at as same from kitrecords.note where id = ?`, [note.id]);
    expect(row).toEqual({ version: 3, deleted: true, same: true });
  });

  it('an update that changes nothing writes nothing and keeps the version', async () => {
    const note = await given('Same', anna);
    const changes = await em().transactional(async (tx) => notes.update(tx, anna, await notes.findVisible(tx, anna, note.id), { title: 'Same' }));
    expect(changes).toEqual({});
    expect((await notes.findVisible(em(), anna, note.id)).version).toBe(1);
    expect((await outbox()).length).toBe(1);
  });

  it('nothing is written when the transaction rolls back', async () => {
    const note = await given('Kept', anna);
    await expect(em().transactional(async (tx) => {
      await notes.update(tx, anna, await notes.findVisible(tx, anna, note.id), { title: 'Lost' });
      throw new Error('rollback');
    })).rejects.toThrow('rollback');
    expect((await notes.findVisible(em(), anna, note.id)).title).toBe('Kept');
    expect((await audit()).length).toBe(1);
    expect((await outbox()).length).toBe(1);
  });
});

describe('list', () => {
  const list = (p: Principal, query: Record<string, unknown> = {}) =>
    notes.list(em(), p, { limit: 50, count: false, ...query }, { fields: { title: { type: 'string', sql: 'n.title', sortable: true } }, defaultSort: [{ field: 'title', direction: 'asc' }], map: (rows) => rows.map(toDto) });

  it('shows reps their own, managers their departments, directors everything, never deleted records', async () => {
    await given('A north', anna);
    await given('B south', bela);
    await given('C north by bela', bela, 'north');
    const gone = await given('D gone', anna);
    await em().transactional(async (tx) => notes.softDelete(tx, anna, await notes.findVisible(tx, anna, gone.id)));
    const titles = async (p: Principal) => (await list(p)).items.map((n) => n.title);
    expect(await titles(anna)).toEqual(['A north']);
    expect(await titles(bela)).toEqual(['B south', 'C north by bela']);
    expect(await titles(csilla)).toEqual(['A north', 'C north by bela']);
    expect(await titles(dora)).toEqual(['A north', 'B south', 'C north by bela']);
  });

  it('filters, narrows to an owner, sorts, pages with signed cursors and counts', async () => {
    for (const t of ['e', 'a', 'd', 'b', 'c']) await given(t, anna);
    await given('f', bela);
    const opts = { fields: { title: { type: 'string' as const, sql: 'n.title', sortable: true } }, defaultSort: [{ field: 'title', direction: 'asc' as const }], map: (rows: NoteEntity[]) => rows.map(toDto) };
    const byAnna = JSON.stringify({ field: 'ownerId', op: 'eq', value: 'anna' });
    const first = await notes.list(em(), dora, { limit: 2, count: true, sort: '-title', filter: byAnna }, opts);
    expect(first.items.map((n) => n.title)).toEqual(['e', 'd']);
    expect(first.total).toBe(5);
    const second = await notes.list(em(), dora, { limit: 2, count: false, sort: '-title', filter: byAnna, cursor: first.nextCursor! }, opts);
    expect(second.items.map((n) => n.title)).toEqual(['c', 'b']);
    expect(second.total).toBeUndefined();
    // a cursor means something only in its own order
    expect(await statusOf(notes.list(em(), dora, { limit: 2, count: false, sort: 'title', cursor: first.nextCursor! }, opts))).toBe(400);
    expect((await notes.list(em(), dora, { limit: 50, count: true }, { ...opts, ownerId: 'bela' })).total).toBe(1);
    // the owned fields come with every list
    expect((await notes.list(em(), dora, { limit: 50, count: false, filter: JSON.stringify({ field: 'departmentId', op: 'eq', value: 'south' }), sort: '-createdAt' }, opts)).items.map((n) => n.title)).toEqual(['f']);
    expect(await statusOf(notes.list(em(), dora, { limit: 50, count: false, filter: JSON.stringify({ field: 'nope', op: 'eq', value: 1 }) }, opts))).toBe(400);
  });
});
