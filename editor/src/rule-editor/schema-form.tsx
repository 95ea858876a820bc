import { Button, Checkbox, CloseButton, Group, NativeSelect, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { parse, stringify } from 'yaml';
import { toPointer } from '../../../rules/problems';
import { messageOf } from '../api';
import { splitList } from '../split-list';

/** The parts of JSON Schema the rule-set schema uses, as the form reads them. */
export interface SchemaNode {
  type?: string;
  enum?: readonly unknown[];
  const?: unknown;
  oneOf?: readonly SchemaNode[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  required?: readonly string[];
  items?: SchemaNode;
  description?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

type Path = (string | number)[];

interface FormProps {
  schema: SchemaNode;
  value: unknown;
  path: Path;
  /** Sets the value at a path; `undefined` removes it. */
  onChange(path: Path, value: unknown): void;
  /** Problems by JSON pointer, shown under the field they concern. */
  problems: Record<string, string[]>;
}

/**
 * A form generated from the rule-set JSON Schema for any section: objects become fieldsets (with
 * their absent optional keys offered in an "add" list), maps become entries with a key, lists of
 * words a comma-separated field, enums a select, and anything the form cannot draw (a rare
 * `oneOf` combination) a small YAML box for that part only. Every change is written to the YAML
 * at its path, so the canvas, the YAML pane and this form stay one document.
 */
export function SchemaForm(props: FormProps) {
  const { schema, value, path } = props;
  const chosen = branchFor(schema, value);
  const errors = props.problems[toPointer(path)] ?? [];
  const body = (() => {
    if (chosen.const !== undefined) return <code>{String(chosen.const)}</code>;
    if (chosen.enum) return <EnumField {...props} options={chosen.enum} />;
    switch (chosen.type) {
      case 'object':
        return chosen.properties ? (
          <ObjectFields {...props} schema={chosen} />
        ) : (
          <MapFields {...props} schema={chosen} />
        );
      case 'array':
        return isPrimitive(chosen.items) ? (
          <WordList {...props} schema={chosen} />
        ) : (
          <ObjectList {...props} schema={chosen} />
        );
      case 'string':
        return (
          <TextInput
            size="xs"
            aria-label={label(path)}
            title={chosen.pattern ?? chosen.description}
            defaultValue={typeof value === 'string' ? value : ''}
            key={`${toPointer(path)}=${String(value)}`}
            onBlur={(e) =>
              props.onChange(path, e.currentTarget.value === '' ? undefined : e.currentTarget.value)
            }
          />
        );
      case 'number':
      case 'integer':
        return (
          <TextInput
            size="xs"
            type="number"
            aria-label={label(path)}
            min={chosen.minimum}
            max={chosen.maximum}
            defaultValue={typeof value === 'number' ? value : ''}
            key={`${toPointer(path)}=${String(value)}`}
            onBlur={(e) =>
              props.onChange(path, e.currentTarget.value === '' ? undefined : Number(e.currentTarget.value))
            }
          />
        );
      case 'boolean':
        return (
          <Checkbox
            aria-label={label(path)}
            checked={value === true}
            onChange={(e) => props.onChange(path, e.currentTarget.checked)}
          />
        );
      default:
        return <YamlBox {...props} />;
    }
  })();
  return (
    <div className="schema-field">
      {body}
      {errors.map((e) => (
        <Text key={e} className="error" size="sm">
          {e}
        </Text>
      ))}
    </div>
  );
}

function ObjectFields({ schema, value, path, onChange, problems }: FormProps) {
  const object = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const properties = Object.entries(schema.properties ?? {});
  const present = properties.filter(([key]) => object[key] !== undefined || schema.required?.includes(key));
  const absent = properties.filter(([key]) => !present.some(([k]) => k === key));
  return (
    <fieldset>
      {present.map(([key, child]) => (
        <div key={key} className="schema-row">
          <span className="schema-key" title={child.description}>
            {key}
          </span>
          <SchemaForm
            schema={child}
            value={object[key]}
            path={[...path, key]}
            onChange={onChange}
            problems={problems}
          />
          {!schema.required?.includes(key) && (
            <CloseButton
              size="sm"
              aria-label={`remove ${key}`}
              onClick={() => onChange([...path, key], undefined)}
            />
          )}
        </div>
      ))}
      {absent.length > 0 && (
        <NativeSelect
          size="xs"
          aria-label={`add to ${label(path)}`}
          value=""
          onChange={(e) => {
            const key = e.currentTarget.value;
            const child = schema.properties?.[key];
            if (child) onChange([...path, key], emptyValue(child));
          }}
          data={[{ value: '', label: '+ …' }, ...absent.map(([key]) => key)]}
        />
      )}
    </fieldset>
  );
}

function MapFields({ schema, value, path, onChange, problems }: FormProps) {
  const [newKey, setNewKey] = useState('');
  const entries = Object.entries(
    (value && typeof value === 'object' ? value : {}) as Record<string, unknown>,
  );
  const child = (
    typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {}
  ) as SchemaNode;
  return (
    <fieldset>
      {entries.map(([key, entry]) => (
        <details key={key} className="schema-entry">
          <summary>
            {key}{' '}
            <CloseButton
              size="sm"
              aria-label={`remove ${key}`}
              onClick={() => onChange([...path, key], undefined)}
            />
          </summary>
          <SchemaForm
            schema={child}
            value={entry}
            path={[...path, key]}
            onChange={onChange}
            problems={problems}
          />
        </details>
      ))}
      <Group className="schema-add" gap="xs" mt="xs">
        <TextInput
          size="xs"
          aria-label={`new key in ${label(path)}`}
          value={newKey}
          onChange={(e) => setNewKey(e.currentTarget.value)}
          placeholder="name"
        />
        <Button
          size="xs"
          variant="default"
          title={`add ${newKey || '…'} to ${label(path)}`}
          disabled={!newKey || entries.some(([k]) => k === newKey)}
          onClick={() => {
            onChange([...path, newKey], emptyValue(child));
            setNewKey('');
          }}
        >
          +
        </Button>
      </Group>
    </fieldset>
  );
}

function WordList({ value, path, onChange }: FormProps) {
  const words = Array.isArray(value) ? value.map(String) : [];
  return (
    <TextInput
      size="xs"
      aria-label={label(path)}
      defaultValue={words.join(', ')}
      key={`${toPointer(path)}=${words.join(',')}`}
      onBlur={(e) => {
        const next = splitList(e.currentTarget.value);
        onChange(path, next.length > 0 ? next : undefined);
      }}
    />
  );
}

function ObjectList({ schema, value, path, onChange, problems }: FormProps) {
  const items = Array.isArray(value) ? value : [];
  const child = schema.items ?? {};
  return (
    <fieldset>
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the position is the item's identity in YAML
        <div key={i} className="schema-row">
          <SchemaForm
            schema={child}
            value={item}
            path={[...path, i]}
            onChange={onChange}
            problems={problems}
          />
          <CloseButton
            size="sm"
            aria-label={`remove item ${i + 1}`}
            onClick={() =>
              onChange(
                path,
                items.filter((_, j) => j !== i),
              )
            }
          />
        </div>
      ))}
      <Button
        size="xs"
        variant="default"
        title={`add an item to ${label(path)}`}
        onClick={() => onChange(path, [...items, emptyValue(child)])}
      >
        +
      </Button>
    </fieldset>
  );
}

function EnumField({ value, path, onChange, options }: FormProps & { options: readonly unknown[] }) {
  return (
    <NativeSelect
      size="xs"
      aria-label={label(path)}
      value={value === undefined ? '' : String(value)}
      onChange={(e) => onChange(path, e.currentTarget.value || undefined)}
      data={[{ value: '', label: '—' }, ...options.map(String)]}
    />
  );
}

/** The part as YAML, for shapes the form does not draw. */
function YamlBox({ value, path, onChange }: FormProps) {
  const [error, setError] = useState('');
  return (
    <>
      <Textarea
        aria-label={label(path)}
        classNames={{ input: 'yaml-box' }}
        autosize
        minRows={2}
        defaultValue={value === undefined ? '' : stringify(value).trim()}
        key={`${toPointer(path)}=${JSON.stringify(value)}`}
        onBlur={(e) => {
          const text = e.currentTarget.value;
          try {
            setError('');
            onChange(path, text.trim() === '' ? undefined : parse(text));
          } catch (err) {
            setError(messageOf(err));
          }
        }}
      />
      {error && (
        <Text className="error" size="sm">
          {error}
        </Text>
      )}
    </>
  );
}

function branchFor(schema: SchemaNode, value: unknown): SchemaNode {
  if (!schema.oneOf) return schema;
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const matches = (s: SchemaNode) =>
    (s.type === 'integer' ? 'number' : s.type) === kind ||
    (s.enum?.some((o) => o === value) ?? false) ||
    (s.const !== undefined && s.const === value);
  return schema.oneOf.find(matches) ?? (value === undefined ? schema.oneOf[0]! : { description: 'YAML' });
}

function isPrimitive(schema: SchemaNode | undefined): boolean {
  return (
    !!schema &&
    (schema.type === 'string' || schema.type === 'number' || schema.type === 'integer' || !!schema.enum)
  );
}

function emptyValue(schema: SchemaNode): unknown {
  const s = schema.oneOf ? schema.oneOf[0]! : schema;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case 'object':
      return Object.fromEntries(
        (s.required ?? []).map((key) => [key, emptyValue(s.properties?.[key] ?? {})]),
      );
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return s.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return '';
  }
}

function label(path: Path): string {
  return path.join('.');
}
