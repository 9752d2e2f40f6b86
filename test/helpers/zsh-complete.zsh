# zsh -f zsh-complete.zsh SCRIPT LINE: prints what zsh completes for LINE (cursor at its end), one
# candidate a line. An interactive zsh runs in a pseudo-terminal (zpty) with compinit and SCRIPT
# sourced; compadd is wrapped to print the candidates it is given, and a widget bound to ^T runs
# complete-word between two markers.
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PS1=''; autoload -Uz compinit; compinit -u -D"
zpty -w z "source ${(q)1}"
zpty -w z 'compadd() { local -a __c; builtin compadd -O __c "$@"; (( $#__c )) && print -rn -- "${(pj:\x1f:)__c}"$'"'\x1f'"'; builtin compadd "$@" }'
# The markers are split in the source so that the echo of these lines never contains them.
zpty -w z 'hss-comptest() { print -n "<BE""GIN>"; zle complete-word; print -n "<E""ND>"; }; zle -N hss-comptest; bindkey "^T" hss-comptest'
zpty -n -w z "$2"$'\x14'
out=''
while true; do
  if zpty -r -t z chunk; then out+=$chunk; else sleep 0.02; fi
  [[ $out == *'<END>'* ]] && break
done
out=${out##*<BEGIN>}
out=${out%%<END>*}
print -r -- ${(pj:\n:)${(u)${(ps:\x1f:)out//$'\r'/}}}
zpty -d z
