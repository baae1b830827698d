# bash completion for nianbao(1).  Installed as
# share/bash-completion/completions/nianbao; formats and pipelines are asked
# of nianbao itself, so plugins and pipelines added later complete too.

_nianbao_formats() { # $1: input | output
    nianbao convert --list-"$1"-formats 2>/dev/null
}

_nianbao_pipelines() {
    nianbao pipelines 2>/dev/null | awk '/^[^ ]/ {print $1}'
}

_nianbao() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="convert validate run pipelines plugins formats"
    local common="--quiet --verbose --progress --no-progress --formats --plugin-dir --help"
    local -A opts=(
        [convert]="--from --to --output --option --input-option --strict --no-validate --provenance --jobs --isolate
                   --max-depth --max-member-size --list-input-formats --list-output-formats $common"
        [validate]="--from --input-option --json --all --jobs --isolate $common"
        [run]="--output --option --strict --jobs --isolate --pipelines $common"
        [pipelines]="--pipelines --help"
        [plugins]="--json --plugin-dir --help show"
        [formats]="--columns --formats --help"
    )
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    case $prev in
        -f | --from) COMPREPLY=($(compgen -W "$(_nianbao_formats input)" -- "$cur")); return ;;
        -t | --to) COMPREPLY=($(compgen -W "$(_nianbao_formats output)" -- "$cur")); return ;;
        --formats | --plugin-dir | --pipelines) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -o | --output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        -O | --option | -I | --input-option | --max-depth | --max-member-size | -j | --jobs) return ;;
        show) COMPREPLY=($(compgen -W "$(_nianbao_formats input) $(_nianbao_formats output)" -- "$cur")); return ;;
    esac
    if [[ $cmd == run && COMP_CWORD -eq 2 && $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$(_nianbao_pipelines)" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "${opts[$cmd]:-}" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _nianbao nianbao
