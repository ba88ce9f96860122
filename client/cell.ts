// Where client modules put what the page shows: anything with a `value`, such as a Preact
// signal, so client/ needs no UI library and the stores keep their signals.
export interface Cell<T> { value: T }
