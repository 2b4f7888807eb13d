using BenchmarkDotNet.Running;
using PlatformBot.Benchmarks;

// `sla` runs the SLA scenarios (100,000 open tickets: start-up, idle CPU, due → breach latency), which are about wall
// time and a separate process, not about a method's cost; everything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "sla")
{
    return await SlaScenarios.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "litedb")
{
    return LiteDbCeiling.Run();
}

if (args.Length > 0 && args[0] == "floor")
{
    return await Floor.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "create")
{
    return await CreateLoop.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(TicketCreationBenchmarks).Assembly).Run(args);
return 0;
