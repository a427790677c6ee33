namespace Drover.Cli;

/// <summary>Shell glue for tab completion: the shell asks drover itself (System.CommandLine's <c>[suggest]</c> directive),
/// which completes commands and options and reads host names, VM names and migration ids from the coordinator.</summary>
public static class CompletionScripts
{
    public static string For(string shell) => shell switch
    {
        "bash" => """
            # drover completion for bash: source <(drover completion bash)
            _drover_complete() {
              local IFS=$'\n'
              COMPREPLY=($(drover "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
            }
            complete -o default -F _drover_complete drover

            """,
        "zsh" => """
            # drover completion for zsh: source <(drover completion zsh)
            _drover() {
              local -a candidates
              candidates=(${(f)"$(drover "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)"})
              compadd -a candidates
            }
            compdef _drover drover

            """,
        _ => throw new UsageException($"no completion for '{shell}': bash or zsh"),
    };
}
