// The cossistant dotnet tool: `cossistant --help` lists the commands; README "From the command line" tells the story.
using Cossistant.Client.Tool;

return await CossistantCommandLine.RunAsync(args, ToolConsole.Standard).ConfigureAwait(false);
