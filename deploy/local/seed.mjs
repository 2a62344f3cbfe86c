// Demo data through the public API, as the demo users themselves: each company is created by its owner,
// so owner, department, audit and events are what a real user would produce. Idempotency keys make a
// second run create nothing.
import { localEnv } from './env.mjs';

const env = localEnv();

async function token(username) {
  const res = await fetch(`${env.KEYCLOAK_URL}/realms/crm/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'crm-cli', username, password: 'kapocs' }),
  });
  if (!res.ok) throw new Error(`token for ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

// Valid Hungarian tax numbers: the 8th digit checks the first seven (weights 9,7,3,1,9,7,3).
function taxNumber(seed) {
  const base = String(10000000 + ((seed * 7919) % 8999999)).slice(0, 7);
  const sum = [9, 7, 3, 1, 9, 7, 3].reduce((a, w, i) => a + w * Number(base[i]), 0);
  return `${base}${(10 - (sum % 10)) % 10}-2-${['02', '13', '41', '42', '43'][seed % 5]}`;
}

const CITIES = [['1051', 'Budapest', 'Október 6. utca 12.'], ['4025', 'Debrecen', 'Piac utca 20.'], ['6720', 'Szeged', 'Kárász utca 5.'],
  ['7621', 'Pécs', 'Király utca 3.'], ['9021', 'Győr', 'Baross Gábor út 14.'], ['3525', 'Miskolc', 'Széchenyi István út 40.']];
const NAMES = ['Kovács és Társa', 'Tisza Fém', 'Balaton Logisztika', 'Mátra Informatika', 'Duna Élelmiszer', 'Alföld Agrár',
  'Pannon Gépgyártó', 'Hegyvidék Építő', 'Zemplén Borászat', 'Kárpát Energia', 'Bakony Bútor', 'Rába Alkatrész',
  'Hortobágy Tejtermék', 'Villány Vendéglátás', 'Őrség Faipar', 'Sió Vegyipar', 'Körös Textil', 'Dráva Kereskedelmi'];
const FORMS = ['Kft.', 'Zrt.', 'Bt.', 'Nyrt.'];
const KINDS = ['customer', 'customer', 'prospect', 'reseller', 'supplier', 'partner', 'competitor'];
const OWNERS = ['anna.sales', 'bela.sales', 'csilla.manager', 'dora.director'];

export async function seed({ quiet = false } = {}) {
  const tokens = Object.fromEntries(await Promise.all(OWNERS.map(async (u) => [u, await token(u)])));
  let created = 0;
  for (let i = 0; i < 36; i++) {
    const owner = OWNERS[i % OWNERS.length];
    const [postalCode, city, street] = CITIES[i % CITIES.length];
    const name = `${NAMES[i % NAMES.length]} ${FORMS[i % FORMS.length]}${i >= NAMES.length ? ` (${city})` : ''}`;
    const res = await fetch(`${env.GATEWAY_URL}/api/partners/companies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[owner]}`, 'content-type': 'application/json', 'idempotency-key': `demo-seed-company-${i}` },
      body: JSON.stringify({
        name,
        kind: KINDS[i % KINDS.length],
        taxNumber: taxNumber(i + 1),
        registrationNumber: `${String((i % 20) + 1).padStart(2, '0')}-09-${String(100000 + i * 3571).slice(0, 6)}`,
        industry: ['IT', 'gyártás', 'kereskedelem', 'mezőgazdaság', 'építőipar', 'logisztika'][i % 6],
        size: ['small', 'medium', 'large', 'enterprise', 'micro'][i % 5],
        website: `https://www.${name.toLowerCase().normalize('NFD').replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}.hu`,
        emails: [{ address: `info${i}@example.hu`, label: 'központi' }],
        phones: [{ number: `+36 1 ${String(2000000 + i * 1234).slice(0, 7)}` }],
        addresses: [{ kind: 'headquarters', country: 'HU', postalCode, city, street }],
      }),
    });
    if (res.status === 201 && res.headers.get('idempotent-replayed') !== 'true') created++;
    else if (res.status >= 300) throw new Error(`seeding company ${i} as ${owner}: ${res.status} ${await res.text()}`);
  }
  if (!quiet) process.stderr.write(`[seed] ${created} demo companies created (${36 - created} already there)\n`);
  return created;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await seed();
