using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PovertyNews.BrowserTests.Infrastructure;

/// <summary>Runs axe-core on the page as it stands and fails on violations, listing them.</summary>
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

    /// <summary>
    /// Every violation, minor ones included: Lighthouse's accessibility score counts each failed axe rule whatever its
    /// impact (a figure with role="group" is "minor" to axe and cost a reader page a point), so reader pages meet this.
    /// </summary>
    public static async Task AssertNoViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        Assert.True(result.Violations.Length == 0,
            $"axe-core found {result.Violations.Length} violation(s) on {page.Url}:\n" + string.Join("\n", result.Violations.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation) =>
        $"- [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})\n" +
        string.Join("\n", violation.Nodes.Take(10).Select(n =>
            $"    {n.Target}: {n.Html}\n      " +
            string.Join("; ", (n.Any ?? []).Concat(n.All ?? []).Concat(n.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrEmpty(m)))));
}
