// Copies the data files that the compiled server reads at run time next to it in dist/.
import fs from 'node:fs';
fs.cpSync('src/catalog/data', 'dist/catalog/data', { recursive: true });
console.log('copied src/catalog/data -> dist/catalog/data');
fs.cpSync('src/assistant/data', 'dist/assistant/data', { recursive: true });
console.log('copied src/assistant/data -> dist/assistant/data');
