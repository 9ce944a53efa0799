// The escaping lives in model/ (definitions' own output is escaped by load/ too); reports use it from here.
export * from '../model/escape.js';
