using Alquimia.Projects;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace Alquimia.Ingestion.Landing.Storage;

/// <summary>The S3 client of a landing root's <see cref="S3Settings"/>.</summary>
internal static class S3Clients
{
    /// <summary>
    /// A client with the SDK's credentials: the named profile's, or its default chain (AWS_ACCESS_KEY_ID and
    /// AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, the instance's role).
    /// </summary>
    public static AmazonS3Client Create(S3Settings settings, string source)
    {
        var config = new AmazonS3Config { ForcePathStyle = settings.PathStyle };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = settings.Region ?? "us-east-1";
            // S3-compatible stores do not all know the checksums the SDK adds to every request by default since 2025.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else if (settings.Region is { } region)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (settings.Profile is not { } profile)
        {
            return new AmazonS3Client(config);
        }

        if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials))
        {
            throw new AlquimiaException(
                $"Source '{source}' lands in S3 with the profile '{profile}', which is in neither ~/.aws/credentials nor ~/.aws/config. "
                + "Add it (aws configure --profile " + profile + "), or remove 'profile' to use the environment's credentials.");
        }

        return new AmazonS3Client(credentials, config);
    }
}
