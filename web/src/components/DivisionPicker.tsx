/**
 * Picks a place from the 660,000-node division tree without ever loading it whole: one select per
 * level, each filled from /children when the level above is chosen, plus a search by name.
 */
import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Select, Space } from 'antd';
import { useId, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../i18n';

type Node = { code: string; name: string; level: number; hasChildren?: boolean; fullName?: string };
const LENGTHS = [2, 4, 6, 9, 12];
const LEVEL_NAMES = { zh: ['省', '市', '县（区）', '乡镇（街道）', '村（社区）'], en: ['Province', 'City', 'County/district', 'Township/street', 'Village/community'] };

/** Ancestor codes of a statistical code, top down: '330106002052' → ['33','3301','330106','330106002','330106002052']. */
const chainOf = (code: string) => LENGTHS.filter((n) => n <= code.length).map((n) => code.slice(0, n));

function Level({ parent, level, value, onPick, label }: { parent: string; level: number; value?: string; onPick: (code: string | undefined) => void; label: string }) {
  const { lang, t } = useI18n();
  const children = useQuery({ queryKey: ['divisions', parent], queryFn: () => api<Node[]>(`/api/divisions/${parent}/children`), staleTime: Infinity });
  const name = LEVEL_NAMES[lang][level];
  if (children.data && children.data.length === 0) return null;
  return (
    <Select
      aria-label={`${label}：${name}`}
      placeholder={name}
      style={{ minWidth: 180 }}
      popupMatchSelectWidth={false}
      // until this level's names arrive, say so rather than show a bare code
      labelRender={(o) => o.label ?? t('common.loading')}
      value={value}
      loading={children.isLoading}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      options={(children.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
      onChange={(v) => onPick(v)}
    />
  );
}

/** `depth`: how many levels are offered (3 = down to the county, e.g. for an institution's seat). */
export function DivisionPicker({ value, onChange, label, invalid, depth = 5 }: { value?: string; onChange?: (code: string | undefined) => void; label: string; invalid?: boolean; depth?: number }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const found = useQuery({
    queryKey: ['division-search', query],
    queryFn: () => api<Node[]>(`/api/divisions?q=${encodeURIComponent(query)}&limit=15`),
    enabled: query.trim().length >= 2,
    staleTime: 60_000,
  });
  const chain = value ? chainOf(value) : [];
  const parents = ['000000', ...chain];
  return (
    <div role="group" aria-label={label} aria-invalid={invalid || undefined}>
      <AutoComplete
        id={searchId}
        aria-label={`${label}：${t('apply.searchPlace')}`}
        placeholder={t('apply.searchPlace')}
        style={{ width: '100%', maxWidth: 420, marginBottom: 8, display: 'block' }}
        value={query}
        onChange={setQuery}
        defaultActiveFirstOption
        onKeyDown={(e) => {
          // Enter picks a place; it must never submit the surrounding application form
          if (e.key === 'Enter') e.preventDefault();
        }}
        options={(found.data ?? []).filter((d) => d.level >= 3 && d.level <= depth).map((d) => ({ value: d.code, label: d.fullName }))}
        onSelect={(code: string) => {
          setQuery('');
          onChange?.(code);
        }}
      />
      <Space wrap>
        {parents.slice(0, depth).map((parent, level) =>
          level === 0 || chain[level - 1] ? (
            <Level key={parent + level} parent={parent} level={level} value={chain[level]} label={label} onPick={(code) => onChange?.(code ?? (level > 0 ? chain[level - 1] : undefined))} />
          ) : null,
        )}
      </Space>
    </div>
  );
}
