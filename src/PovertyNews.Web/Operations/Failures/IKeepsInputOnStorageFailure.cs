using Microsoft.AspNetCore.Mvc;

namespace PovertyNews.Web.Operations.Failures;

/// <summary>
/// A page whose form holds work that must not be lost (the article editor): when a handler fails because the
/// storage could not take the write, <see cref="StorageFailureFilter"/> asks the page for its form again, with the
/// posted input still bound and <see cref="StorageFailure.Message"/> in the model state, instead of an error page.
/// </summary>
public interface IKeepsInputOnStorageFailure
{
    /// <param name="handler">The named handler that failed (null for the plain POST), e.g. for a JSON answer to autosave.</param>
    Task<IActionResult> FormAfterStorageFailureAsync(string? handler, CancellationToken ct);
}
