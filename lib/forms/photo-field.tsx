import type { FormSettings } from "./schema";
import { MAX_PHOTOS, PHOTO_ACCEPT, PHOTOS_FIELD } from "./photos";

/**
 * The form's photo field, when it asks for photos: a file input for up to MAX_PHOTOS images, with
 * its help and any message beside it. The page's script sends the chosen photos resized
 * (public/form-photos.js); without it they go as they are, in a multipart post.
 */
export function PhotoField({ settings, error }: { settings: FormSettings["photos"]; error?: string }) {
  if (!settings) return null;
  const id = `f-${PHOTOS_FIELD}`;
  const described = [`${id}-help`, error ? `${id}-error` : null].filter(Boolean);
  return (
    <div className="field">
      <label htmlFor={id}>
        {settings.label}
        {!settings.required && (
          <>
            {" "}
            <span className="opt">(optional)</span>
          </>
        )}
      </label>
      <p className="opt" id={`${id}-help`}>
        {`${settings.help ? `${settings.help} ` : ""}Up to ${MAX_PHOTOS} photos.`}
      </p>
      {/* Without the page's script photos are not made smaller: the limit is said before sending. */}
      <noscript>
        <p className="opt">Without JavaScript, photos are sent as they are: 4.5 MB in all at most.</p>
      </noscript>
      <input
        id={id}
        type="file"
        name={PHOTOS_FIELD}
        multiple
        accept={PHOTO_ACCEPT}
        aria-invalid={error ? true : undefined}
        aria-describedby={described.join(" ")}
        aria-required={settings.required || undefined}
      />
      {error && (
        <p className="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
