using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>Runs axe-core on the page as it stands and fails on any serious or critical violation, listing them.</summary>
public static class Axe
{
    private static readonly HashSet<string> Blocking = ["serious", "critical"];

    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => v.Impact is not null && Blocking.Contains(v.Impact)).ToList();
        Assert.True(blocking.Count == 0,
            $"axe-core found {blocking.Count} serious or critical violation(s) on {page.Url}:\n" + string.Join("\n", blocking.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"- [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})\n" +
        string.Join("\n", violation.Nodes.Take(10).Select(n =>
            $"    {n.Target}: {n.Html}\n      " +
            string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)))));
}
