// dt-sql-parser 4.5.1 ships ES modules whose relative imports leave out ".js" and "/index.js" (they were written for
// bundlers), which Node's resolver refuses: this hook tries a failed relative import again with each suffix.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('.') || !['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT'].includes(error.code)) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try { return await nextResolve(specifier + suffix, context); } catch { /* the next suffix */ }
    }
    throw error;
  }
}
