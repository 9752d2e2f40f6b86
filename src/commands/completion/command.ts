import { argChoice, defineCommand, type Loader } from '../define.js';

export const spec = defineCommand({
  name: 'completion',
  description: 'print the shell completion script for bash, zsh or fish',
  arguments: [argChoice('<shell>', 'shell to complete for', ['bash', 'zsh', 'fish'])],
  examples: [
    'source <(hss completion bash)                          # try it in the current bash',
    'hss completion fish > ~/.config/fish/completions/hss.fish',
  ],
  notes: `Install:
  bash  add to ~/.bashrc:       source <(hss completion bash)
        or, with bash-completion: hss completion bash > ~/.local/share/bash-completion/completions/hss
  zsh   add to ~/.zshrc, after compinit:  source <(hss completion zsh)
        or save it on your fpath:        hss completion zsh > "\${fpath[1]}/_hss"
  fish  hss completion fish > ~/.config/fish/completions/hss.fish
Open a new shell afterwards. Commands, options and their values (scan types, statuses, output formats)
are part of the script; profile names are read from the profile store each time you press TAB (names
only, never a credential). Print the script again after upgrading hss.`,
});

export const load: Loader<typeof spec> = () => import('./index.js');
