/**
 * ESM resolve hook (registered with `module.register`): a definitions module
 * imported as `…/x.mjs?mcgen=N` passes `?mcgen=N` on to the transpiled modules
 * it imports, so every load in one process gets its own fresh module graph.
 */
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

type NextResolve = (specifier: string, context: { parentURL?: string }) => Promise<ResolveResult>;

const CACHE_MODULE = /\/(\.cache\/moncode|moncode-[0-9a-f]{12})\/modules\/.*\.mjs$/;

export async function resolve(specifier: string, context: { parentURL?: string }, next: NextResolve): Promise<ResolveResult> {
  const result = await next(specifier, context);
  const parent = context.parentURL;
  const marker = parent?.indexOf('?mcgen=') ?? -1;
  if (parent && marker >= 0 && !result.url.includes('?') && CACHE_MODULE.test(result.url)) {
    return { ...result, url: `${result.url}${parent.slice(marker)}` };
  }
  return result;
}
