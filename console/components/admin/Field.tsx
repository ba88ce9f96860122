// A labelled form field with its error beside it (aria-invalid, aria-describedby), so a screen
// reader hears what to fix when it reaches the field.
import type { ComponentChildren } from 'preact';

export interface FieldProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ComponentChildren;
}

export function Field({ id, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, ...(described ? { 'aria-describedby': described } : {}) })}
      {hint && <span id={`${id}-hint`} class="muted small">{hint}</span>}
      {error && <span id={`${id}-err`} class="error small">{error}</span>}
    </div>
  );
}

/** The form's error that belongs to no field (a refused request, a conflict). */
export function FormError({ errors }: { errors: Record<string, string> }) {
  return errors[''] ? <p class="error" role="alert">{errors['']}</p> : null;
}
