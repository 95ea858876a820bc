const w=1600,h=1100,n=w*h*3; const a=Buffer.alloc(n); for(let i=0;i<n;i++)a[i]=(i*2654435761)>>>24; const o=Buffer.allocUnsafe(n);
const steps=new Int32Array(w); for(let x=0;x<w;x++)steps[x]=(x%23)-11;
const lut=new Uint8Array(23*256); for(let s=-11;s<=11;s++)for(let v=0;v<256;v++)lut[(s+11)*256+v]=Math.min(255,Math.max(0,v+s));
const clamped=new Uint8ClampedArray(o.buffer,o.byteOffset,o.length);
const V={
 ternary(){for(let y=0;y<h;y++){let i=y*w*3;for(let x=0;x<w;x++){const s=steps[x];let v=a[i]+s;o[i++]=v<0?0:v>255?255:v;v=a[i]+s;o[i++]=v<0?0:v>255?255:v;v=a[i]+s;o[i++]=v<0?0:v>255?255:v;}}},
 clampedArr(){for(let y=0;y<h;y++){let i=y*w*3;for(let x=0;x<w;x++){const s=steps[x];clamped[i]=a[i]+s;i++;clamped[i]=a[i]+s;i++;clamped[i]=a[i]+s;i++;}}},
 lut(){for(let y=0;y<h;y++){let i=y*w*3;for(let x=0;x<w;x++){const b=(steps[x]+11)<<8;o[i]=lut[b|a[i]];i++;o[i]=lut[b|a[i]];i++;o[i]=lut[b|a[i]];i++;}}},
 copyOnly(){o.set(a);},
};
for(let r=0;r<4;r++)for(const[k,f]of Object.entries(V)){const s=performance.now();for(let j=0;j<5;j++)f();if(r===3)console.log(k,((performance.now()-s)/5/(w*h/1e6)).toFixed(2),'ms/MP');}
