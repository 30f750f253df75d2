import type { ResourceMeta } from '@hearth/protocol';
import { normalizeForSearch, searchResources } from './search';

const r = (title: string, more: Partial<ResourceMeta> = {}): ResourceMeta => ({
  title,
  description: '',
  domain: 'resilience',
  language: 'en',
  tags: [],
  ...more,
});

describe('library search', () => {
  const resources = [
    r('Protección digital para defensoras', {
      description: 'Guía práctica de seguridad integral',
      domain: 'integrated_security',
      language: 'es',
      tags: ['Cifrado', 'móvil'],
    }),
    r('الأمن الرقمي للمدافعين', {
      description: 'دليل عملي للحماية',
      domain: 'integrated_security',
      language: 'ar',
      tags: ['تشفير'],
    }),
    r('Self-care after detention', { language: 'en-GB', tags: ['wellbeing'] }),
    r('Advocacy at the UN', { domain: 'advocacy', language: 'fr', tags: ['UPR', 'plaidoyer'] }),
  ];
  const titles = (list: ResourceMeta[]): string[] => list.map((x) => x.title);

  it('ignores case and accents in Spanish, both ways', () => {
    expect(titles(searchResources(resources, 'proteccion'))).toEqual(['Protección digital para defensoras']);
    expect(titles(searchResources(resources, 'GUIA PRÁCTICA'))).toEqual(['Protección digital para defensoras']);
    expect(titles(searchResources(resources, 'movil'))).toEqual(['Protección digital para defensoras']);
    expect(titles(searchResources(resources, 'cifrádo'))).toEqual(['Protección digital para defensoras']);
  });

  it('matches Arabic written with or without harakat, tatweel and hamza forms', () => {
    // Without the hamza on the alef, with harakat, with a tatweel: the same words.
    expect(titles(searchResources(resources, 'الامن'))).toEqual(['الأمن الرقمي للمدافعين']);
    expect(titles(searchResources(resources, 'الأَمْن الرَّقْمِي'))).toEqual(['الأمن الرقمي للمدافعين']);
    expect(titles(searchResources(resources, 'الرقـــمي'))).toEqual(['الأمن الرقمي للمدافعين']);
    expect(titles(searchResources(resources, 'دليل'))).toEqual(['الأمن الرقمي للمدافعين']);
    expect(titles(searchResources(resources, 'تَشْفِير'))).toEqual(['الأمن الرقمي للمدافعين']);
    expect(normalizeForSearch('إِدارة')).toBe(normalizeForSearch('ادارة'));
    expect(normalizeForSearch('مدافعى')).toBe(normalizeForSearch('مدافعي'));
  });

  it('needs every word, anywhere in the title, description or tags', () => {
    expect(titles(searchResources(resources, 'self care'))).toEqual(['Self-care after detention']);
    expect(titles(searchResources(resources, 'wellbeing detention'))).toEqual(['Self-care after detention']);
    expect(searchResources(resources, 'wellbeing advocacy')).toEqual([]);
    expect(searchResources(resources, '   ')).toHaveLength(resources.length);
  });

  it('filters by domain, language (a primary tag finds its regions) and tag', () => {
    expect(titles(searchResources(resources, '', { domain: 'integrated_security' }))).toEqual([
      'Protección digital para defensoras',
      'الأمن الرقمي للمدافعين',
    ]);
    expect(titles(searchResources(resources, '', { language: 'en' }))).toEqual(['Self-care after detention']);
    expect(searchResources(resources, '', { language: 'e' })).toEqual([]);
    expect(titles(searchResources(resources, '', { tag: 'upr' }))).toEqual(['Advocacy at the UN']);
    expect(titles(searchResources(resources, '', { tag: 'cifrado' }))).toEqual(['Protección digital para defensoras']);
    expect(titles(searchResources(resources, 'digital', { domain: 'integrated_security', language: 'ar' }))).toEqual(
      [],
    );
  });
});
