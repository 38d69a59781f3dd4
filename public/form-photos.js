// Loaded by a form page's script when the visitor picks a photo (lib/forms/page-script.ts): before
// the form is sent, each photo is drawn on a canvas at most 1,600 px on its long side and sent as
// a JPEG, which also leaves its metadata (the place it was taken) behind. A photo the browser
// cannot decode (HEIC in most browsers but Safari) goes as it is; the server checks every photo
// by its bytes and removes location data from what it keeps.
(() => {
  const LONG_SIDE = 1600;
  const QUALITY = 0.85;

  async function shrink(file) {
    try {
      const image = await createImageBitmap(file, { imageOrientation: "from-image" });
      const scale = Math.min(1, LONG_SIDE / Math.max(image.width, image.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(image.width * scale));
      canvas.height = Math.max(1, Math.round(image.height * scale));
      const context = canvas.getContext("2d");
      // A transparent PNG gets a white background rather than JPEG's black.
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      image.close();
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
      if (!blob) return file;
      return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
    } catch {
      return file;
    }
  }

  /** The form's data with each chosen photo resized; everything else as it was. */
  window.formPhotos = async (data) => {
    const out = new FormData();
    for (const [name, value] of data) {
      if (name === "photos" && value instanceof File && value.size > 0) out.append(name, await shrink(value));
      else out.append(name, value);
    }
    return out;
  };
})();
