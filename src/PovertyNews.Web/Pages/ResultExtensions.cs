using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages;

/// <summary>How every page shows a feature's <see cref="Result"/>: the same keys, the same summary, the same flash.</summary>
public static class ResultExtensions
{
    public const string FlashKey = "Flash";

    /// <summary>
    /// Field errors go under <paramref name="prefix"/> ("Input.Title"), so the form shows them next to the field;
    /// the result's message and form-wide errors go into the summary. A null prefix puts every message into the
    /// summary (a page whose only field sits next to it).
    /// </summary>
    public static void AddErrors(this ModelStateDictionary modelState, Result result, string? prefix = "Input")
    {
        if (result.Succeeded)
        {
            return;
        }
        if (result.Message is { } message && !result.Errors.Any(e => e.Field.Length == 0 && e.Message == message))
        {
            modelState.AddModelError("", message);
        }
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(error.Field.Length == 0 || prefix is null ? "" : prefix.Length == 0 ? error.Field : $"{prefix}.{error.Field}", error.Message);
        }
    }

    /// <summary>Keeps a success's message for the page the redirect leads to.</summary>
    public static void Flash(this ITempDataDictionary tempData, Result result)
    {
        if (result.Message is { } message)
        {
            tempData[FlashKey] = message;
        }
    }
}
