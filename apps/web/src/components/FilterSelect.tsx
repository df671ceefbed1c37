/**
 * One filter of a list page (the work queue, the reports): a <select> whose blank choice
 * means "any", reading and writing its value by name in the page's filter form. Its
 * options are a domain label table (a Record<Enum, string> from libs/domain, through
 * labels.ts), so a value added to the enum appears here by itself, in the domain's
 * words; or, for a list the API serves (departments), that list.
 */
import { useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { Select } from './govuk';

type Option = { value: string; label: string };

interface FilterSelectProps<K extends string> {
  /** The filter's name: the form field, the URL parameter and the element id. */
  name: string;
  label: string;
  /** The page's filter form and its setter (`set(name)(value)`). */
  filters: Readonly<Record<string, string>>;
  set(name: string): (value: string) => void;
  /** What the blank choice says. */
  placeholder?: string;
  /** The options: a domain label table, or a list. */
  labels?: Readonly<Record<K, string>>;
  options?: readonly Option[];
}

export function FilterSelect<K extends string>({ name, label, filters, set, placeholder = 'Any', labels, options }: FilterSelectProps<K>) {
  const choices = labels ? (Object.entries(labels) as [string, string][]).map(([value, text]) => ({ value, label: text })) : [...(options ?? [])];
  return <Select id={name} label={label} value={filters[name] ?? ''} onChange={set(name)} placeholder={placeholder} options={choices} />;
}

/** The department filter: the departments the API lists. */
export function DepartmentFilter(props: Omit<FilterSelectProps<string>, 'name' | 'label' | 'labels' | 'options'>) {
  const [departments, setDepartments] = useState<Option[]>([]);
  useEffect(() => {
    unwrap(api.GET('/api/departments')).then(
      (r) => setDepartments(r.items.map((d) => ({ value: d.id, label: d.name }))),
      () => undefined,
    );
  }, []);
  return <FilterSelect name="department" label="Department" options={departments} {...props} />;
}
