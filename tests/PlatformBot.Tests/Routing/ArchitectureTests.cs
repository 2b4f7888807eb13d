using PlatformBot.Routing;
using PlatformBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace PlatformBot.Tests.Routing;

public sealed class ArchitectureTests
{
    [Fact]
    public void Core_ReferencesNoAspNetCore()
    {
        var references = typeof(IBotRouter).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RegisteredRoutes_AreUnique_AndEveryHandlerResolves()
    {
        await using var bot = await TestBot.StartAsync();
        var routes = bot.Services.GetRequiredService<RouteTable>();
        using var scope = bot.Services.CreateScope();

        foreach (var route in routes.Commands.Values)
        {
            Assert.NotNull(scope.ServiceProvider.GetService(route.HandlerType));
        }

        foreach (var route in routes.Interactions)
        {
            Assert.NotNull(scope.ServiceProvider.GetService(route.HandlerType));
        }

        Assert.Equal(routes.Interactions.Count, routes.Interactions.Select(i => i.Prefix).Distinct().Count());
    }
}
