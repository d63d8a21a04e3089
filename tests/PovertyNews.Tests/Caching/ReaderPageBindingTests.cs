using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Caching;

namespace PovertyNews.Tests.Caching;

/// <summary>
/// Cached reader pages take nothing from model binding but route values: the query is read with ReaderQuery, as the
/// cache key is, so no binder rule (a <c>form.</c> prefix, <c>+2</c> read as 2, a route value from the query) can make
/// a page render something its key does not name.
/// </summary>
public sealed class ReaderPageBindingTests
{
    private static readonly Type[] CachedPages = typeof(ReaderCacheAttribute).Assembly.GetTypes()
        .Where(t => typeof(PageModel).IsAssignableFrom(t) && t.GetCustomAttribute<ReaderCacheAttribute>() is not null)
        .ToArray();

    [Fact]
    public void EveryReaderPage_IsFound() => Assert.True(CachedPages.Length >= 7, string.Join(", ", CachedPages.Select(t => t.FullName)));

    [Fact]
    public void HandlerParameters_AreRouteValuesOrTheCancellationToken()
    {
        var bound = CachedPages
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.Name.StartsWith("On", StringComparison.Ordinal))
            .SelectMany(m => m.GetParameters().Select(p => (m, p)))
            .Where(x => x.p.ParameterType != typeof(CancellationToken) && x.p.GetCustomAttribute<FromRouteAttribute>() is null)
            .Select(x => $"{x.m.DeclaringType!.Name}.{x.m.Name}({x.p.Name})");
        Assert.Empty(bound);
    }

    [Fact]
    public void NoPropertyIsBound()
    {
        var bound = CachedPages
            .Where(t => t.GetCustomAttribute<BindPropertiesAttribute>() is not null)
            .Select(t => t.Name)
            .Concat(CachedPages.SelectMany(t => t.GetProperties())
                .Where(p => p.GetCustomAttributes().Any(a => a is IBindingSourceMetadata or BindPropertyAttribute))
                .Select(p => $"{p.DeclaringType!.Name}.{p.Name}"));
        Assert.Empty(bound);
    }
}
